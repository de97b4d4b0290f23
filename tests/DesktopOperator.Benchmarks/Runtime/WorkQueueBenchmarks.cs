using BenchmarkDotNet.Attributes;
using DesktopOperator.Runtime;
using DesktopOperator.Runtime.Queues;

namespace DesktopOperator.Benchmarks.Runtime;

/// <summary>
/// Work-queue throughput, reported per item: Add → Get → Done of distinct keys by one worker and by four, and
/// Adds of already-queued keys (the dedupe path, which is what an event storm on a few objects costs).
/// Run: dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- --filter '*WorkQueue*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class WorkQueueBenchmarks
{
    private const int Items = 100_000;
    private ObjectKey[] _keys = null!;

    [GlobalSetup]
    public void Setup() => _keys = [.. Enumerable.Range(0, Items).Select(i => new ObjectKey($"tenant-{i % 10}", $"pod-{i}"))];

    [Benchmark(OperationsPerInvoke = Items, Description = "Add+Get+Done, 1 worker")]
    public async Task OneWorker()
    {
        using var queue = new WorkQueue<ObjectKey>("bench", RateLimiters.Default<ObjectKey>());
        foreach (var key in _keys)
        {
            queue.Add(key);
        }

        queue.ShutDown();
        await DrainAsync(queue);
    }

    [Benchmark(OperationsPerInvoke = Items, Description = "Add+Get+Done, 4 workers concurrent with adds")]
    public async Task FourWorkers()
    {
        using var queue = new WorkQueue<ObjectKey>("bench", RateLimiters.Default<ObjectKey>());
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() => DrainAsync(queue))).ToArray();
        foreach (var key in _keys)
        {
            queue.Add(key);
        }

        await queue.ShutDownWithDrainAsync(CancellationToken.None);
        await Task.WhenAll(workers);
    }

    [Benchmark(OperationsPerInvoke = Items, Description = "Add of an already-queued key (dedupe)")]
    public int DedupedAdds()
    {
        using var queue = new WorkQueue<ObjectKey>("bench", RateLimiters.Default<ObjectKey>());
        for (var i = 0; i < Items; i++)
        {
            queue.Add(_keys[i % 100]);
        }

        return queue.Count;
    }

    private static async Task DrainAsync(WorkQueue<ObjectKey> queue)
    {
        while (true)
        {
            var (key, shutDown) = await queue.GetAsync(CancellationToken.None);
            if (shutDown)
            {
                return;
            }

            queue.Done(key);
        }
    }
}
