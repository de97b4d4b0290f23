using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Sessions;

public sealed class ConnectionRouterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RouteAsync_NewUser_StoresBoundRoute()
    {
        using var harness = new RouterHarness(Pool());

        var decision = await harness.RouteAsync(Request("alice"));

        Assert.True(decision.NewRoute);
        var route = harness.Route("alice");
        Assert.NotNull(route);
        Assert.Equal((decision.Host!.Name, SessionRoutePhase.Bound, AffinityKey.User, false, 0), (route.Host, route.Phase, route.KeyKind, route.Pinned, route.ActiveConnections));
        Assert.Equal(T0, route.BoundAt);
    }

    [Fact]
    public async Task RouteAsync_RequestedHost_StoresPinnedRoute()
    {
        using var harness = new RouterHarness(Pool());

        await harness.RouteAsync(Request("alice", requestedHost: "h2"));

        Assert.Equal(("h2", true), (harness.Route("alice")?.Host, harness.Route("alice")?.Pinned));
    }

    [Fact]
    public async Task RouteAsync_TwoRacingForNewUser_OneRouteBothOnWinnersHost()
    {
        // Round robin makes the two decisions pick different hosts; the store lets both creates in only together.
        var store = new RendezvousStore(2);
        using var harness = new RouterHarness(Pool(strategy: BalancingStrategyNames.RoundRobin), store);

        var first = harness.RouteAsync(Request("alice")).AsTask();
        var second = harness.RouteAsync(Request("alice")).AsTask();
        var decisions = await Task.WhenAll(first, second).WaitAsync(Timeout);

        var route = Assert.Single(store.List(Key));
        Assert.All(decisions, d => Assert.Equal(route.Host, d.Host!.Name));
        Assert.Contains(decisions, d => d.Reason.Contains("adopted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RouteAsync_ManyConcurrentForNewUser_OneRouteOneHost()
    {
        // Round robin (thread-safe, unlike the harness's seeded Random) spreads the racing decisions over hosts.
        using var harness = new RouterHarness(Pool(hosts: 5, strategy: BalancingStrategyNames.RoundRobin));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await harness.RouteAsync(Request("alice"));
        })).ToArray();

        start.SetResult();
        var decisions = await Task.WhenAll(racers).WaitAsync(Timeout);

        var route = Assert.Single(harness.Store.List(Key));
        Assert.All(decisions, d => Assert.Equal(route.Host, d.Host!.Name));
    }

    [Fact]
    public async Task BeginSession_ConnectionsOpenAndClose_ActiveThenDisconnected()
    {
        using var harness = new RouterHarness(Pool());
        var request = Request("alice");
        var decision = await harness.RouteAsync(request);

        var one = harness.Router.BeginSession(request, decision);
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        var two = harness.Router.BeginSession(request, decision);
        Assert.Equal((SessionRoutePhase.Active, 2), (harness.Route("alice")!.Phase, harness.Route("alice")!.ActiveConnections));

        one.Dispose();
        one.Dispose();
        Assert.Equal((SessionRoutePhase.Active, 1), (harness.Route("alice")!.Phase, harness.Route("alice")!.ActiveConnections));

        harness.Time.Advance(TimeSpan.FromMinutes(5));
        two.Dispose();
        var route = harness.Route("alice")!;
        Assert.Equal((SessionRoutePhase.Disconnected, 0), (route.Phase, route.ActiveConnections));
        Assert.Equal(T0 + TimeSpan.FromMinutes(6), route.LastSeen);
    }

    [Fact]
    public async Task BeginSession_NotRoutedDecision_Throws()
    {
        using var harness = new RouterHarness(Pool(hosts: 0));
        var decision = await harness.RouteAsync(Request());

        Assert.Throws<ArgumentException>(() => harness.Router.BeginSession(Request(), decision));
    }

    [Fact]
    public async Task RouteAsync_ReturningUserWithinResumeFor_SameHost()
    {
        using var harness = new RouterHarness(Pool(hosts: 5, strategy: BalancingStrategyNames.Random));
        var first = await harness.RouteAsync(Request("alice"));
        harness.Router.BeginSession(Request("alice"), first).Dispose();

        harness.Time.Advance(TimeSpan.FromMinutes(59));
        await harness.Expiry.SweepAsync(CancellationToken.None);
        var again = await harness.RouteAsync(Request("alice", client: "203.0.113.9"));

        Assert.Equal(first.Host, again.Host);
        Assert.False(again.NewRoute);
        Assert.Equal(SessionRoutePhase.Disconnected, harness.Route("alice")?.Phase);
    }

    [Fact]
    public async Task RouteAsync_HostRemovedFromPool_RouteFailedThenUserGetsNewHost()
    {
        using var harness = new RouterHarness(Pool(hosts: 2));
        var first = await harness.RouteAsync(Request("alice"));
        harness.Router.BeginSession(Request("alice"), first).Dispose();
        var remaining = Pool(hosts: 2).Hosts.Where(h => h.Name != first.Host!.Name).ToArray();

        harness.Pools.Update([Pool(remaining)]);
        await harness.Expiry.SweepAsync(CancellationToken.None);
        Assert.Equal(SessionRoutePhase.Failed, harness.Route("alice")?.Phase);
        var again = await harness.RouteAsync(Request("alice"));

        Assert.Equal(remaining[0].Name, again.Host?.Name);
        Assert.True(again.NewRoute);
        var route = Assert.Single(harness.Store.List(Key));
        Assert.Equal((remaining[0].Name, SessionRoutePhase.Bound), (route.Host, route.Phase));
    }

    [Fact]
    public async Task RouteAsync_Redispatch_ExcludesFailedHostAndMovesRoute()
    {
        using var harness = new RouterHarness(Pool(hosts: 3));
        var first = await harness.RouteAsync(Request("alice"));
        harness.Router.ReportConnectFailure(Key, first.Host!.Name);

        var second = await harness.RouteAsync(Request("alice"), first.Host.Name);

        Assert.NotEqual(first.Host.Name, second.Host?.Name);
        Assert.Contains("failed to connect", second.Reason);
        var route = Assert.Single(harness.Store.List(Key));
        Assert.Equal(second.Host!.Name, route.Host);
        Assert.Equal((Key, first.Host.Name, false), Assert.Single(harness.Health.Reports));
    }

    [Fact]
    public async Task ReportConnectSuccess_ForwardedToHealthView()
    {
        using var harness = new RouterHarness(Pool());

        harness.Router.ReportConnectSuccess(Key, "h1");

        Assert.Equal((Key, "h1", true), Assert.Single(harness.Health.Reports));
        Assert.Equal(RoutingResult.Routed, (await harness.RouteAsync(Request())).Result);
    }

    [Fact]
    public async Task SessionTracker_RouteDeletedUnderLiveConnection_Restored()
    {
        using var harness = new RouterHarness(Pool());
        var decision = await harness.RouteAsync(Request("alice"));
        using var first = harness.Router.BeginSession(Request("alice"), decision);

        await harness.Store.DeleteAsync(harness.Route("alice")!, CancellationToken.None);
        using var second = harness.Router.BeginSession(Request("alice"), decision);

        var route = harness.Route("alice");
        Assert.Equal((decision.Host!.Name, SessionRoutePhase.Active, 2), (route?.Host, route?.Phase, route?.ActiveConnections));
    }

    /// <summary>Holds every CreateAsync until <paramref name="parties"/> of them arrived, then lets the last one in first.</summary>
    private sealed class RendezvousStore(int parties) : IRouteStore
    {
        private readonly InMemoryRouteStore _inner = new();
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public event EventHandler? Changed
        {
            add => _inner.Changed += value;
            remove => _inner.Changed -= value;
        }

        public RouteRecord? Find(string pool, string key) => _inner.Find(pool, key);

        public IReadOnlyList<RouteRecord> List(string pool) => _inner.List(pool);

        public IReadOnlyCollection<string> PoolsWithRoutes() => _inner.PoolsWithRoutes();

        public async ValueTask<RouteCreation> CreateAsync(RouteRecord route, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _arrived) < parties)
            {
                await _all.Task.WaitAsync(cancellationToken);
            }
            else
            {
                var created = await _inner.CreateAsync(route, cancellationToken);
                _all.TrySetResult();
                return created;
            }

            return await _inner.CreateAsync(route, cancellationToken);
        }

        public ValueTask<RouteRecord> UpdateAsync(RouteRecord route, CancellationToken cancellationToken) => _inner.UpdateAsync(route, cancellationToken);

        public ValueTask DeleteAsync(RouteRecord route, CancellationToken cancellationToken) => _inner.DeleteAsync(route, cancellationToken);
    }
}
