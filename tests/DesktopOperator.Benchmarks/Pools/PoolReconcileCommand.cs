using System.Globalization;
using System.Text;
using DesktopOperator.Controllers.Tests.Pools.AtScale;

namespace DesktopOperator.Benchmarks.Pools;

/// <summary>
/// One DesktopPool reconcile at scale (default: 1,000 host pods, 10,000 SessionRoutes): the real reconciler over
/// in-memory caches (<see cref="PoolAtScale"/>), its writes applied to them and counted by verb and kind. Scenarios:
/// nothing changed; one route ended (on a host with others, and the last one of a host); 100 new sessions; a
/// template change (max surge 1 and 25); a node cordoned; the steady state at growing pool sizes (is the pass linear?). Prints a
/// Markdown table (and writes it with <c>--out FILE</c>). Stopwatch-based, not BenchmarkDotNet: each changed-state run
/// needs a freshly settled pool of 1,000 hosts.
/// Run: dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- pool-reconcile [hosts] [routes] [runs] [--out FILE]
/// </summary>
internal static class PoolReconcileCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var numbers = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList();
        var hosts = numbers.Count > 0 ? numbers[0] : 1_000;
        var routes = numbers.Count > 1 ? numbers[1] : 10_000;
        var runs = numbers.Count > 2 ? numbers[2] : 15;
        var outIndex = Array.IndexOf(args, "--out");
        var shape = new PoolShape { Hosts = hosts, Routes = routes, MaxHosts = Math.Max(hosts, 1_000) };
        var surge = Math.Max(1, hosts / 40);
        var scenarios = new List<ReconcileScenario>
        {
            new("(a) nothing changed", shape, null),
            new("(b) one route ended, its host keeps others", shape, p => p.EndRouteOn(p.Hosts().First(h => h.Bound > 1).Host)),
            new("(b) the last route of a host ended", shape, p => p.EndRouteOn(p.Hosts().First(h => h.Bound == 1).Host)),
            new("(c) 100 new sessions (Pending)", shape with { Hosts = hosts - (100 / shape.SessionsPerHost), MaxHosts = Math.Max(hosts, 1_000) }, p => p.AddPendingRoutes(100)),
            new("(d) template changed, max surge 1", shape, p => p.ChangeTemplate("example/xrdp:2")),
            new($"(d) template changed, max surge {surge}", shape with { MaxSurge = surge }, p => p.ChangeTemplate("example/xrdp:2")),
            new($"(e) a node cordoned ({hosts / shape.Nodes} hosts on it)", shape, p => p.CordonNode("node-0")),
        };
        foreach (var size in new[] { hosts / 4, hosts / 2 })
        {
            scenarios.Add(new($"(a) nothing changed, {size} hosts", shape with { Hosts = size, Routes = routes * size / hosts }, null));
        }

        // Round-robin: round r samples every scenario once, so load drifting over minutes falls on all alike; the first
        // rounds are warm-up (the JIT promotes hot methods only after 30 calls and a pause, in the background).
        const int warmups = 3;
        for (var round = 0; round < warmups + runs; round++)
        {
            foreach (var scenario in scenarios)
            {
                await scenario.SampleAsync(keep: round >= warmups);
            }
        }

        var figures = scenarios.Select(s => s.Figures()).ToList();
        foreach (var result in figures)
        {
            Console.WriteLine($"{result.Scenario}: median {result.MedianCpuMilliseconds:F1} ms CPU, {result.MedianMilliseconds:F1} ms wall, {result.MedianAllocatedBytes / 1024:F0} KiB; {result.CallsText}");
        }

        var rollout = await RolloutPasses.RunAsync(shape with { MaxSurge = surge });
        var sections = await SteadySections.RunAsync(shape, repeats: 50);
        var report = Render(figures, rollout, runs) + Environment.NewLine + sections;
        Console.WriteLine();
        Console.WriteLine(report);
        if (outIndex >= 0 && outIndex + 1 < args.Length)
        {
            await File.WriteAllTextAsync(args[outIndex + 1], report);
        }

        return figures.All(f => f.MaxReads == 0) ? 0 : 1;
    }

    private static string Render(IReadOnlyList<ReconcileFigures> figures, RolloutPasses rollout, int runs)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Median of {runs} runs, taken round-robin over the scenarios after 3 warm-up rounds; CPU is the reconciling thread's own (clock_gettime), wall is loaded-machine noise; API reads per reconcile: {figures.Max(f => f.MaxReads)} in every scenario.");
        text.AppendLine();
        text.AppendLine("| Scenario | Hosts / routes | Writes per reconcile (API calls + Events) | Writes | Patch bytes | CPU, median (min-max) ms | Wall, median ms | Allocated, median |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|");
        foreach (var f in figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {f.Scenario} | {f.Shape.Hosts:N0} / {f.Shape.Routes:N0} | {f.CallsText} | {f.MaxWrites} | {f.MedianPatchBytes:N0} | {f.MedianCpuMilliseconds:F1} ({f.MinCpuMilliseconds:F1}-{f.MaxCpuMilliseconds:F1}) | {f.MedianMilliseconds:F1} | {f.MedianAllocatedBytes / 1024 / 1024:F1} MiB |");
        }

        text.AppendLine();
        text.AppendLine(rollout.Describe());
        return text.ToString();
    }
}
