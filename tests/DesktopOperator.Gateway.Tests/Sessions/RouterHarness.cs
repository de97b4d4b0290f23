using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Tests.Routing;
using DesktopOperator.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Gateway.Tests.Sessions;

/// <summary>A <see cref="ConnectionRouter"/> wired to in-memory parts and a manual clock.</summary>
internal sealed class RouterHarness : IDisposable
{
    public RouterHarness(GatewayPool pool, IRouteStore? store = null, int seed = 1)
    {
        Pools.Update([pool]);
        Store = store ?? new InMemoryRouteStore();
        Tracker = new SessionTracker(Store, Time, NullLogger<SessionTracker>.Instance);
        Metrics = new RoutingMetrics(Pools, Store);
        Router = new ConnectionRouter(Pools, Store, Health, Tracker, new BalancingState(new Random(seed)), Metrics, Time, NullLogger<ConnectionRouter>.Instance);
        Expiry = new RouteExpiry(Pools, Store, Tracker, Time, NullLogger<RouteExpiry>.Instance);
    }

    public PoolRegistry Pools { get; } = new();

    public IRouteStore Store { get; }

    public TestHealthView Health { get; } = new();

    public ManualTimeProvider Time { get; } = new(TestPools.T0);

    public SessionTracker Tracker { get; }

    public RoutingMetrics Metrics { get; }

    public ConnectionRouter Router { get; }

    public RouteExpiry Expiry { get; }

    public RouteRecord? Route(string key) => Store.Find(TestPools.Key, key);

    public ValueTask<RoutingDecision> RouteAsync(RouteRequest request, params string[] excluded) =>
        Router.RouteAsync(request, excluded, CancellationToken.None);

    public void Dispose()
    {
        Expiry.Dispose();
        Router.Dispose();
        Metrics.Dispose();
        Tracker.Dispose();
    }
}
