using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Sessions;

/// <summary>
/// A returning user's connection and the route writes it causes, for routes read from SessionRoutes (Kubernetes mode)
/// whose pin names another host than the one they hold, or whose host pod was replaced under the same name.
/// </summary>
public sealed class ConnectionRouterHostTests
{
    [Fact]
    public async Task BeginSession_RepinnedToHostNotInPool_RunsOnTheHeldHostAndKeepsThePin()
    {
        using var harness = new RouterHarness(Pool());
        await harness.Store.CreateAsync(Mapped("alice", pin: "h9", held: "h2", SessionRoutePhase.Disconnected), CancellationToken.None);

        var decision = await harness.RouteAsync(Request("alice"));
        using (harness.Router.BeginSession(Request("alice"), decision))
        {
            var route = harness.Route("alice")!;
            Assert.Equal(("h2", SessionRoutePhase.Active), (decision.Host?.Name, route.Phase));
            Assert.Equal(("h9", "h2", true), (route.Host, route.HeldHost, route.Pinned));
            Assert.Equal("h2", SessionRouteMapper.StatusOf(route, null).Host);
        }

        Assert.Equal(0, await harness.Expiry.SweepAsync(CancellationToken.None));
        Assert.Equal((SessionRoutePhase.Disconnected, "h2"), (harness.Route("alice")!.Phase, harness.Route("alice")!.HeldHost));
    }

    [Fact]
    public async Task BeginSession_RepinnedToUsableHost_TheRouteMovesToThePin()
    {
        using var harness = new RouterHarness(Pool());
        await harness.Store.CreateAsync(Mapped("alice", pin: "h3", held: "h2", SessionRoutePhase.Disconnected, uid: "uid-2"), CancellationToken.None);

        var decision = await harness.RouteAsync(Request("alice"));
        using var session = harness.Router.BeginSession(Request("alice"), decision);

        var route = harness.Route("alice")!;
        Assert.Equal("h3", decision.Host?.Name);
        Assert.Equal(("h3", (string?)null, (string?)null, SessionRoutePhase.Active), (route.Host, route.HeldHost, route.HostUid, route.Phase));
    }

    [Fact]
    public async Task RouteAsync_HostReplacedByPodOfSameName_RouteRecordsTheNewPodsUidAndIsNotFailed()
    {
        using var harness = new RouterHarness(Pool([new GatewayHost("h1", "10.0.0.1", Uid: "uid-new")]));
        await harness.Store.CreateAsync(Mapped("alice", pin: null, held: "h1", SessionRoutePhase.Disconnected, uid: "uid-old"), CancellationToken.None);

        var decision = await harness.RouteAsync(Request("alice"));

        Assert.Equal((RoutingResult.Routed, "h1", true), (decision.Result, decision.Host?.Name, decision.NewRoute));
        Assert.Equal(("h1", "uid-new", SessionRoutePhase.Bound), (harness.Route("alice")!.Host, harness.Route("alice")!.HostUid, harness.Route("alice")!.Phase));
        Assert.Equal(0, await harness.Expiry.SweepAsync(CancellationToken.None));
    }
}
