using DesktopOperator.Controllers.Tests.Pools.AtScale;

namespace DesktopOperator.Benchmarks.Pools;

/// <summary>
/// A named change to a settled pool: each sample gets a fresh settled pool (so one run's change does not add up with
/// the next), applies the change and measures the one reconcile that follows. The steady-state scenario has no
/// change and reuses one pool. The command takes samples round-robin over the scenarios, so the drifting load of a
/// shared machine and the JIT's late tiering fall on all of them alike.
/// </summary>
internal sealed class ReconcileScenario(string name, PoolShape shape, Action<PoolAtScale>? change)
{
    private readonly List<ReconcileSample> _samples = [];
    private PoolAtScale? _steady;

    public string Name => name;

    public async Task SampleAsync(bool keep)
    {
        var pool = change is null ? _steady ??= await PoolAtScale.CreateAsync(shape) : await PoolAtScale.CreateAsync(shape);
        change?.Invoke(pool);
        Collect();
        var sample = await ReconcileSample.MeasureAsync(pool);
        if (keep)
        {
            _samples.Add(sample);
        }
    }

    public ReconcileFigures Figures() => new(name, shape, _samples);

    /// <summary>A quiet heap before each measured pass, so a collection started by the setup is not charged to it.</summary>
    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
