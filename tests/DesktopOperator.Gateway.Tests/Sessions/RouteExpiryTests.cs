using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Gateway.Tests.Sessions;

public sealed class RouteExpiryTests
{
    private static readonly TimeSpan ResumeFor = TimeSpan.FromHours(1);

    [Fact]
    public async Task SweepAsync_DisconnectedPastResumeFor_ExpiredThenDeletedAndSlotFreed()
    {
        using var harness = new RouterHarness(Pool(hosts: 1, sessionsPerHost: 1));
        var phases = RecordPhases(harness, "alice");
        var alice = await harness.RouteAsync(Request("alice"));
        harness.Router.BeginSession(Request("alice"), alice).Dispose();
        Assert.Equal(RoutingResult.RejectedFull, (await harness.RouteAsync(Request("bob"))).Result);

        harness.Time.Advance(ResumeFor);
        var changed = await harness.Expiry.SweepAsync(CancellationToken.None);

        Assert.Equal(1, changed);
        Assert.Null(harness.Route("alice"));
        Assert.Equal([SessionRoutePhase.Bound, SessionRoutePhase.Active, SessionRoutePhase.Disconnected, SessionRoutePhase.Expired, null], phases);
        Assert.Equal(RoutingResult.Routed, (await harness.RouteAsync(Request("bob"))).Result);
    }

    [Fact]
    public async Task SweepAsync_DisconnectedWithinResumeFor_Kept()
    {
        using var harness = new RouterHarness(Pool());
        var alice = await harness.RouteAsync(Request("alice"));
        harness.Router.BeginSession(Request("alice"), alice).Dispose();

        harness.Time.Advance(ResumeFor - TimeSpan.FromSeconds(1));

        Assert.Equal(0, await harness.Expiry.SweepAsync(CancellationToken.None));
        Assert.Equal(SessionRoutePhase.Disconnected, harness.Route("alice")?.Phase);
    }

    [Fact]
    public async Task SweepAsync_LiveConnection_NeverExpired()
    {
        using var harness = new RouterHarness(Pool());
        var alice = await harness.RouteAsync(Request("alice"));
        using var session = harness.Router.BeginSession(Request("alice"), alice);

        harness.Time.Advance(ResumeFor * 10);

        Assert.Equal(0, await harness.Expiry.SweepAsync(CancellationToken.None));
        Assert.Equal(SessionRoutePhase.Active, harness.Route("alice")?.Phase);
    }

    [Fact]
    public async Task SweepAsync_BoundNeverConnected_ExpiresAfterResumeFor()
    {
        using var harness = new RouterHarness(Pool());
        await harness.RouteAsync(Request("alice"));

        harness.Time.Advance(ResumeFor);
        await harness.Expiry.SweepAsync(CancellationToken.None);

        Assert.Null(harness.Route("alice"));
    }

    [Fact]
    public async Task SweepAsync_LeftoverActiveRouteOfEarlierRun_DisconnectedSinceNowThenExpiresWhenSoleGateway()
    {
        using var harness = new RouterHarness(Pool());
        await harness.Store.CreateAsync(Route("alice", "h1", SessionRoutePhase.Active, 3), CancellationToken.None);
        harness.Time.Advance(ResumeFor * 2);

        // Its LastSeen is when its connection opened: the user may have been connected until the restart.
        Assert.Equal(1, await harness.Expiry.SweepAsync(CancellationToken.None));
        var adopted = harness.Route("alice");
        Assert.Equal((SessionRoutePhase.Disconnected, 0, harness.Time.GetUtcNow(), "h1"), (adopted?.Phase, adopted?.ActiveConnections, adopted?.LastSeen, adopted?.Host));
        harness.Time.Advance(ResumeFor);
        await harness.Expiry.SweepAsync(CancellationToken.None);

        Assert.Null(harness.Route("alice"));
    }

    [Fact]
    public async Task SweepAsync_ActiveRouteOfAnotherGateway_KeptWhenNotSoleGateway()
    {
        using var harness = new RouterHarness(Pool());
        using var expiry = new RouteExpiry(harness.Pools, harness.Store, harness.Tracker, harness.Time, NullLogger<RouteExpiry>.Instance)
        {
            SoleGateway = false,
        };
        await harness.Store.CreateAsync(Route("alice", "h1", SessionRoutePhase.Active, 3), CancellationToken.None);
        harness.Time.Advance(ResumeFor * 2);

        Assert.Equal(0, await expiry.SweepAsync(CancellationToken.None));
        Assert.Equal(SessionRoutePhase.Active, harness.Route("alice")?.Phase);
    }

    [Fact]
    public async Task SweepAsync_FailedRoute_DeletedAfterResumeFor()
    {
        using var harness = new RouterHarness(Pool());
        await harness.Store.CreateAsync(Route("alice", "gone", SessionRoutePhase.Disconnected, 0), CancellationToken.None);

        await harness.Expiry.SweepAsync(CancellationToken.None);
        Assert.Equal(SessionRoutePhase.Failed, harness.Route("alice")?.Phase);
        harness.Time.Advance(ResumeFor);
        await harness.Expiry.SweepAsync(CancellationToken.None);

        Assert.Null(harness.Route("alice"));
    }

    [Theory]
    [InlineData("h9")]
    [InlineData("h3")]
    public async Task SweepAsync_DisconnectedRepinnedToUnusableHost_KeptOnItsHeldHost(string pin)
    {
        // h9 is not in the pool, h3 is not ready: the SessionRoute controller keeps the route on h2 (HostNotFound,
        // HostNotUsable), and the sweep does not fail it for the pin.
        var pool = Pool([new GatewayHost("h1", "10.0.0.1"), new GatewayHost("h2", "10.0.0.2"), new GatewayHost("h3", "10.0.0.3", Ready: false)]);
        using var harness = new RouterHarness(pool);
        await harness.Store.CreateAsync(Mapped("alice", pin, held: "h2", SessionRoutePhase.Disconnected), CancellationToken.None);

        Assert.Equal(0, await harness.Expiry.SweepAsync(CancellationToken.None));
        Assert.Equal(SessionRoutePhase.Disconnected, harness.Route("alice")?.Phase);
    }

    [Fact]
    public async Task SweepAsync_RepinnedToUnusableHostAndHeldHostGone_Failed()
    {
        using var harness = new RouterHarness(Pool(hosts: 2));
        await harness.Store.CreateAsync(Mapped("alice", pin: "h9", held: "h7", SessionRoutePhase.Disconnected), CancellationToken.None);

        await harness.Expiry.SweepAsync(CancellationToken.None);

        Assert.Equal(SessionRoutePhase.Failed, harness.Route("alice")?.Phase);
    }

    [Theory]
    [InlineData("uid-old", SessionRoutePhase.Failed)]
    [InlineData("uid-new", SessionRoutePhase.Disconnected)]
    [InlineData(null, SessionRoutePhase.Disconnected)]
    public async Task SweepAsync_HostReplacedByPodOfSameName_FailedWhenTheRouteRecordedAnotherUid(string? recorded, SessionRoutePhase expected)
    {
        using var harness = new RouterHarness(Pool([new GatewayHost("h1", "10.0.0.1", Uid: "uid-new")]));
        await harness.Store.CreateAsync(Mapped("alice", pin: null, held: "h1", SessionRoutePhase.Disconnected, uid: recorded), CancellationToken.None);

        await harness.Expiry.SweepAsync(CancellationToken.None);

        Assert.Equal(expected, harness.Route("alice")?.Phase);
    }

    [Fact]
    public async Task ExecuteAsync_TimerTicks_SweepsOnItsOwn()
    {
        using var harness = new RouterHarness(Pool());
        var alice = await harness.RouteAsync(Request("alice"));
        harness.Router.BeginSession(Request("alice"), alice).Dispose();
        var deleted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Store.Changed += (_, _) =>
        {
            if (harness.Route("alice") is null)
            {
                deleted.TrySetResult();
            }
        };

        await harness.Expiry.StartAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => harness.Time.ActiveTimers > 0, "the sweep timer");
        harness.Time.Advance(ResumeFor + harness.Expiry.Interval);
        await deleted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.Expiry.StopAsync(CancellationToken.None);

        Assert.Null(harness.Route("alice"));
    }

    [Fact]
    public async Task ExecuteAsync_HostRemovedFromPool_RouteFailedWithoutWaitingForInterval()
    {
        using var harness = new RouterHarness(Pool(hosts: 2));
        await harness.Store.CreateAsync(Route("alice", "h2", SessionRoutePhase.Disconnected, 0), CancellationToken.None);
        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Store.Changed += (_, _) =>
        {
            if (harness.Route("alice")?.Phase == SessionRoutePhase.Failed)
            {
                failed.TrySetResult();
            }
        };
        await harness.Expiry.StartAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => harness.Time.ActiveTimers > 0, "the sweep timer");

        // The clock never moves in this test: only the pool change can have started the sweep.
        harness.Pools.Update([Pool(hosts: 1)]);

        await failed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await harness.Expiry.StopAsync(CancellationToken.None);
        Assert.Equal(SessionRoutePhase.Failed, harness.Route("alice")?.Phase);
    }

    [Fact]
    public async Task SweepAsync_PoolDeleted_RoutesKeptForResumeForThenDeleted()
    {
        using var harness = new RouterHarness(Pool(hosts: 2));
        var alice = await harness.RouteAsync(Request("alice"));
        harness.Router.BeginSession(Request("alice"), alice).Dispose();
        await harness.Expiry.SweepAsync(CancellationToken.None);

        harness.Pools.Update([]);
        harness.Time.Advance(ResumeFor - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await harness.Expiry.SweepAsync(CancellationToken.None));
        Assert.Equal(SessionRoutePhase.Disconnected, harness.Route("alice")?.Phase);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await harness.Expiry.SweepAsync(CancellationToken.None));
        Assert.Null(harness.Route("alice"));
        Assert.Empty(harness.Store.PoolsWithRoutes());
    }

    [Fact]
    public async Task SweepAsync_PoolDeletedUnderALiveConnection_KeptUntilResumeForAfterItCloses()
    {
        using var harness = new RouterHarness(Pool());
        var alice = await harness.RouteAsync(Request("alice"));
        var session = harness.Router.BeginSession(Request("alice"), alice);
        await harness.Expiry.SweepAsync(CancellationToken.None); // the sweep learns the pool's resumeFor
        harness.Pools.Update([]);

        harness.Time.Advance(ResumeFor * 3);
        Assert.Equal(0, await harness.Expiry.SweepAsync(CancellationToken.None));
        session.Dispose();
        await Eventually.WaitAsync(() => harness.Route("alice")?.Phase == SessionRoutePhase.Disconnected, "the route disconnected");
        harness.Time.Advance(ResumeFor - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await harness.Expiry.SweepAsync(CancellationToken.None));

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await harness.Expiry.SweepAsync(CancellationToken.None));
        Assert.Null(harness.Route("alice"));
    }

    [Fact]
    public async Task SweepAsync_PoolPutBackWithinResumeFor_UserReturnsToTheSameHost()
    {
        var pool = Pool(hosts: 3);
        using var harness = new RouterHarness(pool);
        var first = await harness.RouteAsync(Request("alice"));
        harness.Router.BeginSession(Request("alice"), first).Dispose();
        await harness.Expiry.SweepAsync(CancellationToken.None);

        harness.Pools.Update([]);
        harness.Time.Advance(ResumeFor / 2);
        await harness.Expiry.SweepAsync(CancellationToken.None);
        harness.Pools.Update([pool]);
        var again = await harness.RouteAsync(Request("alice"));

        Assert.Equal((RoutingResult.Routed, false, first.Host), (again.Result, again.NewRoute, again.Host));
    }

    [Fact]
    public async Task SweepAsync_RoutesOfAPoolNeverSeen_KeptForTheApiDefaultResumeFor()
    {
        using var harness = new RouterHarness(Pool());
        await harness.Store.CreateAsync(Route("alice", "h1", SessionRoutePhase.Disconnected, 0) with { Pool = "other/pool" }, CancellationToken.None);

        harness.Time.Advance(RouteExpiry.UnknownPoolResumeFor - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await harness.Expiry.SweepAsync(CancellationToken.None));
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await harness.Expiry.SweepAsync(CancellationToken.None));

        Assert.Null(harness.Store.Find("other/pool", "alice"));
        Assert.Equal(TimeSpan.FromHours(8), RouteExpiry.UnknownPoolResumeFor);
    }

    private static List<SessionRoutePhase?> RecordPhases(RouterHarness harness, string key)
    {
        var phases = new List<SessionRoutePhase?>();
        harness.Store.Changed += (_, _) =>
        {
            var phase = harness.Route(key)?.Phase;
            if (phases.Count == 0 || phases[^1] != phase)
            {
                phases.Add(phase);
            }
        };
        return phases;
    }
}
