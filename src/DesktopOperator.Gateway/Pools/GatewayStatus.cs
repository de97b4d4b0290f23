using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Pools;

/// <summary>What <c>/api/status</c> shows: every pool with its hosts' health and load, and what is not in force.</summary>
internal sealed record GatewayStatus(IReadOnlyList<PoolStatusView> Pools, IReadOnlyList<string> Problems)
{
    public static GatewayStatus Build(IPoolSnapshotSource pools, IRouteStore routes, IHostHealthView health, IReadOnlyList<string> problems)
    {
        var views = new List<PoolStatusView>();
        foreach (var pool in pools.Pools.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var poolRoutes = routes.List(pool.Key);
            // A route counts on the host its connections go to (RouteHosts), as the routing engine counts it.
            var hosts = pool.Hosts.Select((h, i) => new HostStatusView(
                h.Name,
                h.Address,
                health.GetHealth(pool.Key, h.Name).ToString(),
                h.Draining,
                poolRoutes.Count(r => r.Phase == SessionRoutePhase.Active && RouteHosts.Resolve(pool, r).Index == i),
                poolRoutes.Count(r => RouteLifecycle.HoldsSlot(r.Phase) && RouteHosts.Resolve(pool, r).Index == i),
                pool.SessionsPerHost)).ToList();
            var phases = poolRoutes.GroupBy(r => r.Phase).ToDictionary(g => g.Key.ToString(), g => g.Count());
            var queue = RouteQueue.Of(poolRoutes).Select((r, i) => new QueuedRouteView(i + 1, r.Key, r.BoundAt)).ToList();
            views.Add(new PoolStatusView(pool.Key, pool.Strategy, hosts, phases, queue));
        }

        return new GatewayStatus(views, problems);
    }
}

internal sealed record PoolStatusView(
    string Pool, string Strategy, IReadOnlyList<HostStatusView> Hosts, IReadOnlyDictionary<string, int> Routes, IReadOnlyList<QueuedRouteView> Queue);

/// <summary>One waiting route of a full pool (whenFull: Queue): its place in line and since when it waits.</summary>
internal sealed record QueuedRouteView(int Position, string Key, DateTimeOffset Since);

/// <param name="Sessions">Routes holding a slot on the host (Bound, Active, Disconnected).</param>
internal sealed record HostStatusView(string Name, string Address, string Health, bool Draining, int Active, int Sessions, int Capacity);
