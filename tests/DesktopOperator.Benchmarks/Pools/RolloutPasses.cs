using DesktopOperator.Controllers.Tests.Pools.AtScale;

namespace DesktopOperator.Benchmarks.Pools;

/// <summary>
/// A template change followed pass by pass until a pass writes nothing (or a bound of passes): how many passes, and
/// the most writes and creates any one pass made. New hosts are Ready at once and no session ends, so busy outdated
/// hosts keep draining at the end: the rollout rests there, as it would until their users leave.
/// </summary>
internal sealed record RolloutPasses(PoolShape Shape, int Passes, bool Rested, int MaxWritesPerPass, int MaxCreatesPerPass, int Creates, int Deletes, int Drains, double MedianMilliseconds)
{
    private const int MostPasses = 2_000;

    public static async Task<RolloutPasses> RunAsync(PoolShape shape)
    {
        var pool = await PoolAtScale.CreateAsync(shape);
        pool.ChangeTemplate("example/xrdp:2");
        var samples = new List<ReconcileSample>();
        while (samples.Count < MostPasses)
        {
            var sample = await ReconcileSample.MeasureAsync(pool);
            if (sample.Writes == 0)
            {
                break;
            }

            samples.Add(sample);
        }

        int Sum(string call) => samples.Sum(s => s.Calls.GetValueOrDefault(call));
        var times = samples.Select(s => s.CpuMilliseconds).Order().ToList();
        return new RolloutPasses(
            shape, samples.Count, samples.Count < MostPasses, samples.Count == 0 ? 0 : samples.Max(s => s.Writes),
            samples.Count == 0 ? 0 : samples.Max(s => s.Calls.GetValueOrDefault("create Pod")),
            Sum("create Pod"), Sum("delete Pod"), Sum("event Normal HostDraining"), times.Count == 0 ? 0 : times[times.Count / 2]);
    }

    public string Describe() =>
        $"Rolling update of {Shape.Hosts:N0} hosts (max surge {Shape.MaxSurge}), pass after pass with new hosts Ready at once and no session ending: " +
        $"{(Rested ? "rested" : "still writing")} after {Passes} writing passes; at most {MaxWritesPerPass} writes and {MaxCreatesPerPass} pod creates in one pass; " +
        $"{Creates} creates, {Drains} drains, {Deletes} deletes in all; median pass {MedianMilliseconds:F1} ms CPU.";
}
