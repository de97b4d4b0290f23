using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Pools;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Tests.Routing;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Pools;

public sealed class GatewayStatusTests
{
    [Fact]
    public async Task Build_RepinnedRoutes_CountedOnTheHostTheirConnectionsGoTo()
    {
        var pools = new PoolRegistry();
        pools.Update([Pool([new GatewayHost("h1", "10.0.0.1"), new GatewayHost("h2", "10.0.0.2"), new GatewayHost("h3", "10.0.0.3", Draining: true)])]);
        var routes = new InMemoryRouteStore();
        // Active on h1, re-pinned to h2: stays on h1 while connected. Disconnected on h1, re-pinned to draining h3: stays on h1.
        await routes.CreateAsync(Mapped("alice", pin: "h2", held: "h1", SessionRoutePhase.Active), CancellationToken.None);
        await routes.CreateAsync(Mapped("bob", pin: "h3", held: "h1", SessionRoutePhase.Disconnected), CancellationToken.None);
        // Disconnected on h1, re-pinned to usable h2: goes to h2.
        await routes.CreateAsync(Mapped("carol", pin: "h2", held: "h1", SessionRoutePhase.Disconnected), CancellationToken.None);

        var hosts = Assert.Single(GatewayStatus.Build(pools, routes, new TestHealthView(), []).Pools).Hosts;

        Assert.Equal([("h1", 1, 2), ("h2", 0, 1), ("h3", 0, 0)], hosts.Select(h => (h.Name, h.Active, h.Sessions)));
    }
}
