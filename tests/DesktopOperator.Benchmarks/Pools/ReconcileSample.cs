using System.Diagnostics;
using DesktopOperator.Controllers.Tests.Pools.AtScale;

namespace DesktopOperator.Benchmarks.Pools;

/// <summary>
/// One measured reconcile: its wall time and CPU time (of the thread it ran on: synchronously, as every write of the
/// in-memory API completes at once), the bytes it allocated (all threads, precise), the API calls and Events it made
/// (by verb and kind, from the counting decorators) and the bytes of the patch bodies it sent.
/// </summary>
internal sealed record ReconcileSample(double Milliseconds, double CpuMilliseconds, long AllocatedBytes, IReadOnlyDictionary<string, int> Calls, long PatchBytes)
{
    public int Writes => Calls.Where(c => !c.Key.StartsWith("get ", StringComparison.Ordinal) && !c.Key.StartsWith("list ", StringComparison.Ordinal)
        && !c.Key.StartsWith("watch ", StringComparison.Ordinal)).Sum(c => c.Value);

    public int Reads => Calls.Values.Sum() - Writes;

    /// <summary>The calls as one cell, e.g. <c>create Pod ×10, patch DesktopPool/status ×1</c>; "none" when there were none.</summary>
    public string CallsText => Calls.Count == 0 ? "none" : string.Join(", ", Calls.Select(c => $"{c.Key} x{c.Value}"));

    public static async Task<ReconcileSample> MeasureAsync(PoolAtScale pool)
    {
        pool.ResetCounts();
        var cpu = ThreadCpu.Nanoseconds();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var reconcile = pool.ReconcileAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        cpu = ThreadCpu.Nanoseconds() - cpu;
        if (!reconcile.IsCompleted)
        {
            throw new InvalidOperationException("the reconcile did not run synchronously: its thread's CPU time would not be all of it");
        }

        await reconcile;
        var calls = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (call, count) in pool.Client.Calls.Concat(pool.Events.Events))
        {
            calls[call] = count;
        }

        return new ReconcileSample(elapsed, cpu / 1e6, allocated, calls, pool.Client.PatchBytes);
    }
}
