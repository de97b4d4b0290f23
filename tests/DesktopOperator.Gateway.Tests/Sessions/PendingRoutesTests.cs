using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Sessions;

public sealed class PendingRoutesTests
{
    [Fact]
    public async Task RouteAsync_Queued_PendingRouteThenBoundWhenSlotFrees()
    {
        using var harness = new RouterHarness(Pool(hosts: 1, sessionsPerHost: 1, whenFull: FullPoolAction.Queue));
        var alice = await harness.RouteAsync(Request("alice"));

        Assert.Equal(RoutingResult.Queued, (await harness.RouteAsync(Request("bob"))).Result);
        Assert.Equal((SessionRoutePhase.Pending, null), (harness.Route("bob")?.Phase, harness.Route("bob")?.Host));

        await harness.Store.DeleteAsync(harness.Route("alice")!, CancellationToken.None);
        var bob = await harness.RouteAsync(Request("bob"));

        Assert.Equal(RoutingResult.Routed, bob.Result);
        Assert.Equal((SessionRoutePhase.Bound, "h1"), (harness.Route("bob")?.Phase, harness.Route("bob")?.Host));
        Assert.Single(harness.Store.List(Key));
        Assert.NotNull(alice.Host);
    }

    [Fact]
    public async Task RouteQueue_WaitingRoutes_InArrivalOrderAndRefreshKeepsWhenTheWaitBegan()
    {
        using var harness = new RouterHarness(Pool(hosts: 1, sessionsPerHost: 1, whenFull: FullPoolAction.Queue));
        await harness.RouteAsync(Request("alice"));
        await harness.RouteAsync(Request("carol"));
        var carolSince = harness.Time.GetUtcNow();
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.RouteAsync(Request("bob"));

        // carol re-asks past the refresh interval: her route is rewritten, her place and start time are not.
        harness.Time.Advance(PendingRoutes.RefreshInterval);
        Assert.Equal(RoutingResult.Queued, (await harness.RouteAsync(Request("carol"))).Result);

        var queue = RouteQueue.Of(harness.Store.List(Key));
        Assert.Equal(["carol", "bob"], queue.Select(r => r.Key));
        Assert.Equal(carolSince, queue[0].BoundAt);
        Assert.Equal(harness.Time.GetUtcNow(), queue[0].LastSeen);
        Assert.Equal((1, 2, 0), (RouteQueue.PositionOf(harness.Store.List(Key), "carol"),
            RouteQueue.PositionOf(harness.Store.List(Key), "bob"), RouteQueue.PositionOf(harness.Store.List(Key), "alice")));
    }

    [Fact]
    public async Task SweepAsync_PendingNotRefreshed_Deleted()
    {
        using var harness = new RouterHarness(Pool(hosts: 1, sessionsPerHost: 1, whenFull: FullPoolAction.Queue));
        await harness.RouteAsync(Request("alice"));
        await harness.RouteAsync(Request("bob"));

        harness.Time.Advance(RouteExpiry.PendingTimeout);
        await harness.Expiry.SweepAsync(CancellationToken.None);

        Assert.Null(harness.Route("bob"));
        Assert.NotNull(harness.Route("alice"));
    }

    [Fact]
    public async Task SweepAsync_PendingClientStillAsking_Kept()
    {
        using var harness = new RouterHarness(Pool(hosts: 1, sessionsPerHost: 1, whenFull: FullPoolAction.Queue));
        await harness.RouteAsync(Request("alice"));
        var writes = 0;
        harness.Store.Changed += (_, _) => writes++;

        for (var elapsed = TimeSpan.Zero; elapsed <= RouteExpiry.PendingTimeout * 2; elapsed += ConnectionRouter.QueueRecheckInterval)
        {
            Assert.Equal(RoutingResult.Queued, (await harness.RouteAsync(Request("bob"))).Result);
            await harness.Expiry.SweepAsync(CancellationToken.None);
            Assert.Equal(SessionRoutePhase.Pending, harness.Route("bob")?.Phase);
            harness.Time.Advance(ConnectionRouter.QueueRecheckInterval);
        }

        // One create, then a refresh per refresh interval, not one write per re-ask.
        Assert.InRange(writes, 2, 1 + (int)((RouteExpiry.PendingTimeout * 2) / PendingRoutes.RefreshInterval) + 1);
    }

    [Fact]
    public async Task RouteAsync_QueuedForRequestedHostWithLiveRoute_RouteKept()
    {
        using var harness = new RouterHarness(Pool(hosts: 2, sessionsPerHost: 1, whenFull: FullPoolAction.Queue));
        var alice = await harness.RouteAsync(Request("alice", requestedHost: "h1"));
        await harness.RouteAsync(Request("bob", requestedHost: "h2"));

        var moved = await harness.RouteAsync(Request("bob", requestedHost: "h1"));

        Assert.Equal(RoutingResult.Queued, moved.Result);
        Assert.Equal((SessionRoutePhase.Bound, "h2"), (harness.Route("bob")?.Phase, harness.Route("bob")?.Host));
        Assert.Equal("h1", alice.Host?.Name);
    }
}
