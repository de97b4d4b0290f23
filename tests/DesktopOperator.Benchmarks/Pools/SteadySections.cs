using System.Globalization;
using System.Text;
using DesktopOperator.Api.Durations;
using DesktopOperator.Controllers.Pools;
using DesktopOperator.Controllers.Tests.Pools.AtScale;
using DesktopOperator.Kube.Client;

namespace DesktopOperator.Benchmarks.Pools;

/// <summary>
/// Where a steady-state reconcile's time and allocation go: the same steps as DesktopPoolReconciler, called one by one
/// on the settled pool (route counts, host views, the plan, the status, and the status comparison, which serialises
/// the cached and the new status), each repeated and measured by thread CPU time and allocated bytes.
/// </summary>
internal static class SteadySections
{
    public static async Task<string> RunAsync(PoolShape shape, int repeats)
    {
        var pool = await PoolAtScale.CreateAsync(shape);
        var desktopPool = pool.Pool;
        var caches = new PoolCaches(pool.Pools, pool.Pods, pool.Routes, pool.Nodes, pool.Budgets);
        var now = pool.Time.GetUtcNow();
        var hash = TemplateHash.Compute(desktopPool.Spec.Template!);
        var routes = RouteCounts.Count(caches.Routes(desktopPool));
        var pods = caches.Hosts(desktopPool);
        var views = pods.Select(p => (Host: HostViews.From(p, hash, routes, caches.NodeCordoned), Address: p.Status?.PodIP)).ToList();
        var settings = ScaleSettings.From(desktopPool.Spec.Capacity, Duration.Parse(desktopPool.Spec.Capacity.ScaleDownDelay), 1, null);
        var plan = ScalePlanner.Plan(settings, [.. views.Select(v => v.Host)], routes.Sessions, now);
        var status = PoolStatusBuilder.Build(desktopPool, views, routes, plan, settings.SessionsPerHost, now);
        var sections = new (string Name, Action Step)[]
        {
            ("routes from the cache + RouteCounts.Count", () => _ = RouteCounts.Count(caches.Routes(desktopPool))),
            ("host pods from the cache + HostViews.From", () => _ = caches.Hosts(desktopPool).Select(p => HostViews.From(p, hash, routes, caches.NodeCordoned)).ToList()),
            ("ScalePlanner.Plan", () => _ = ScalePlanner.Plan(settings, [.. views.Select(v => v.Host)], routes.Sessions, now)),
            ("PoolStatusBuilder.Build", () => _ = PoolStatusBuilder.Build(desktopPool, views, routes, plan, settings.SessionsPerHost, now)),
            ("status comparison (serialise cached + new)", () => _ = KubeJson.Serialize(desktopPool.Status) == KubeJson.Serialize(status)),
        };
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Steady state at {shape.Hosts:N0} hosts / {shape.Routes:N0} routes, by step (mean of {repeats}):");
        text.AppendLine();
        text.AppendLine("| Step | CPU (ms) | Allocated (KiB) |");
        text.AppendLine("|---|---:|---:|");
        foreach (var (name, step) in sections)
        {
            for (var i = 0; i < repeats; i++)
            {
                step(); // Warm-up.
            }

            var cpu = ThreadCpu.Nanoseconds();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < repeats; i++)
            {
                step();
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            cpu = ThreadCpu.Nanoseconds() - cpu;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {cpu / 1e6 / repeats:F2} | {allocated / 1024.0 / repeats:F0} |");
        }

        return text.ToString();
    }
}
