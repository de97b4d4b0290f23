namespace DesktopOperator.Benchmarks.Pools;

/// <summary>The samples of one scenario, summarised: medians of wall time, CPU time and allocation; the API calls of every run.</summary>
internal sealed record ReconcileFigures(string Scenario, Controllers.Tests.Pools.AtScale.PoolShape Shape, IReadOnlyList<ReconcileSample> Samples)
{
    public double MedianMilliseconds => Median(Samples.Select(s => s.Milliseconds));

    public double MedianCpuMilliseconds => Median(Samples.Select(s => s.CpuMilliseconds));

    public double MinCpuMilliseconds => Samples.Min(s => s.CpuMilliseconds);

    public double MaxCpuMilliseconds => Samples.Max(s => s.CpuMilliseconds);

    public double MedianAllocatedBytes => Median(Samples.Select(s => (double)s.AllocatedBytes));

    /// <summary>The calls of each run, when every run made the same ones; else every distinct set with its run count.</summary>
    public string CallsText
    {
        get
        {
            var distinct = Samples.GroupBy(s => s.CallsText).ToList();
            return distinct.Count == 1 ? distinct[0].Key : string.Join("; ", distinct.Select(g => $"{g.Key} ({g.Count()} runs)"));
        }
    }

    public int MaxWrites => Samples.Max(s => s.Writes);

    public int MaxReads => Samples.Max(s => s.Reads);

    public double MedianPatchBytes => Median(Samples.Select(s => (double)s.PatchBytes));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
