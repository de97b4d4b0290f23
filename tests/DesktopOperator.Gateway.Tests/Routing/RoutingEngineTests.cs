using System.Net;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Routing;

public sealed class RoutingEngineTests
{
    private readonly TestHealthView _health = new();
    private readonly BalancingState _state = new(new Random(1));

    [Fact]
    public void Decide_NoPool_RejectedUnknownPool()
    {
        var decision = Decide(null, [], Request());

        Assert.Equal(RoutingResult.RejectedUnknownPool, decision.Result);
        Assert.Contains(Key, decision.Reason);
    }

    [Fact]
    public void Decide_PoolKeyDiffers_RejectedUnknownPool()
    {
        var decision = Decide(Pool(), [], Request() with { Pool = "other/pool" });

        Assert.Equal(RoutingResult.RejectedUnknownPool, decision.Result);
    }

    [Fact]
    public void Decide_UnknownProtocol_RejectedUnknownPool()
    {
        var decision = Decide(Pool(), [], Request(protocol: "vnc"));

        Assert.Equal(RoutingResult.RejectedUnknownPool, decision.Result);
        Assert.Contains("'vnc'", decision.Reason);
    }

    [Fact]
    public void Decide_UserNotInAccessLists_RejectedNotAllowed()
    {
        var pool = WithAccess(["bob"], ["admins"]);

        var decision = Decide(pool, [], Request("alice") with { Groups = ["staff"] });

        Assert.Equal(RoutingResult.RejectedNotAllowed, decision.Result);
        Assert.Contains("alice", decision.Reason);
        Assert.Null(decision.Host);
    }

    [Theory]
    [InlineData(SessionRoutePhase.Bound)]
    [InlineData(SessionRoutePhase.Disconnected)]
    [InlineData(SessionRoutePhase.Active)]
    public void Decide_UserWithALiveRoute_NoLongerInAccessLists_RejectedNotAllowed(SessionRoutePhase phase)
    {
        // Access is checked on every connection, before the user's route: a route bound earlier does not let them in.
        var decision = Decide(WithAccess(["bob"], []), [Route("alice", "h2", phase, phase == SessionRoutePhase.Active ? 1 : 0)], Request("alice"));

        Assert.Equal(RoutingResult.RejectedNotAllowed, decision.Result);
        Assert.Null(decision.Host);
    }

    [Fact]
    public void Decide_NoUserAndAccessLists_RejectedNotAllowed()
    {
        var decision = Decide(WithAccess(["bob"], []), [], Request(user: null));

        Assert.Equal(RoutingResult.RejectedNotAllowed, decision.Result);
    }

    [Theory]
    [InlineData("BOB", null)]
    [InlineData("carol", "Admins")]
    public void Decide_UserOrGroupListed_Routed(string user, string? group)
    {
        var request = Request(user) with { Groups = group is null ? null : ["staff", group] };

        var decision = Decide(WithAccess(["bob"], ["admins"]), [], request);

        Assert.Equal(RoutingResult.Routed, decision.Result);
    }

    [Fact]
    public void Decide_EmptyAccessLists_AdmitsConnectionWithoutUser()
    {
        var decision = Decide(Pool(), [], Request(user: null));

        Assert.Equal(RoutingResult.Routed, decision.Result);
        Assert.Equal("192.0.2.1", decision.RouteKey);
    }

    [Fact]
    public void AffinityKeyOf_UserPoolWithUser_User()
    {
        Assert.Equal((AffinityKey.User, "alice"), RoutingEngine.AffinityKeyOf(Pool(), Request("alice")));
    }

    [Fact]
    public void AffinityKeyOf_UserPoolWithoutUser_ClientAddress()
    {
        Assert.Equal((AffinityKey.SourceIP, "192.0.2.7"), RoutingEngine.AffinityKeyOf(Pool(), Request(null, "192.0.2.7")));
    }

    [Fact]
    public void AffinityKeyOf_SourceIpPoolWithUser_ClientAddress()
    {
        var pool = Pool(affinity: AffinityKey.SourceIP);

        Assert.Equal((AffinityKey.SourceIP, "192.0.2.7"), RoutingEngine.AffinityKeyOf(pool, Request("alice", "192.0.2.7")));
    }

    [Fact]
    public void AffinityKeyOf_Ipv4MappedAddress_FoldedToIpv4()
    {
        var request = Request(null) with { ClientAddress = IPAddress.Parse("192.0.2.7").MapToIPv6() };

        Assert.Equal("192.0.2.7", RoutingEngine.AffinityKeyOf(Pool(), request).Key);
    }

    [Theory]
    [InlineData(SessionRoutePhase.Bound)]
    [InlineData(SessionRoutePhase.Active)]
    [InlineData(SessionRoutePhase.Disconnected)]
    public void Decide_LiveRoute_ItsHostAndNoNewRoute(object phaseValue)
    {
        var phase = (SessionRoutePhase)phaseValue;
        RouteRecord[] routes = [Route("alice", "h3", phase), .. OnHost("h1", 1)];

        var decision = Decide(Pool(), routes, Request("alice"));

        Assert.Equal(RoutingResult.Routed, decision.Result);
        Assert.Equal(new HostTarget("h3", "10.0.0.3", 3389), decision.Host);
        Assert.False(decision.NewRoute);
        Assert.Equal("alice", decision.RouteKey);
    }

    [Fact]
    public void Decide_LiveRouteOnDrainingHost_StaysThere()
    {
        var pool = Pool([new GatewayHost("h1", "10.0.0.1"), new GatewayHost("h2", "10.0.0.2", Draining: true)]);

        var decision = Decide(pool, [Route("alice", "h2", SessionRoutePhase.Disconnected, 0)], Request("alice"));

        Assert.Equal("h2", decision.Host?.Name);
        Assert.False(decision.NewRoute);
    }

    [Fact]
    public void Decide_LiveRouteOnZeroWeightHost_StaysThere()
    {
        var pool = Pool([new GatewayHost("h1", "10.0.0.1"), new GatewayHost("h2", "10.0.0.2", Weight: 0)]);

        var decision = Decide(pool, [Route("alice", "h2")], Request("alice"));

        Assert.Equal("h2", decision.Host?.Name);
    }

    [Theory]
    [InlineData("unhealthy")]
    [InlineData("not ready")]
    [InlineData("failed to connect")]
    [InlineData("not in the pool")]
    public void Decide_LiveRouteHostUnusable_MovedToAnotherHost(string why)
    {
        var hosts = new List<GatewayHost> { new("h1", "10.0.0.1"), new("h2", "10.0.0.2", Ready: why != "not ready") };
        if (why == "not in the pool")
        {
            hosts.RemoveAt(1);
        }

        if (why == "unhealthy")
        {
            _health.Set(Key, "h2", HostHealth.Unhealthy);
        }

        var decision = Decide(Pool(hosts), [Route("alice", "h2")], Request("alice"), why == "failed to connect" ? ["h2"] : []);

        Assert.Equal(RoutingResult.Routed, decision.Result);
        Assert.Equal("h1", decision.Host?.Name);
        Assert.True(decision.NewRoute);
        Assert.Contains(why, decision.Reason);
    }

    [Theory]
    [InlineData(SessionRoutePhase.Expired)]
    [InlineData(SessionRoutePhase.Failed)]
    [InlineData(SessionRoutePhase.Pending)]
    public void Decide_RouteWithoutSlot_NewRoute(object phaseValue)
    {
        var phase = (SessionRoutePhase)phaseValue;
        var decision = Decide(Pool(), [Route("alice", phase == SessionRoutePhase.Pending ? null : "h1", phase, 0)], Request("alice"));

        Assert.Equal(RoutingResult.Routed, decision.Result);
        Assert.True(decision.NewRoute);
    }

    [Fact]
    public void Decide_PinnedRouteHostUnhealthy_RejectedNotMoved()
    {
        _health.Set(Key, "h2", HostHealth.Unhealthy);

        var decision = Decide(Pool(), [Route("alice", "h2", pinned: true)], Request("alice"));

        Assert.Equal(RoutingResult.RejectedNoHealthyHost, decision.Result);
        Assert.Equal("pinned host 'h2' is unhealthy", decision.Reason);
    }

    [Fact]
    public void Decide_DisconnectedRepinnedToHostNotInPool_StaysOnItsHeldHost()
    {
        // The SessionRoute controller keeps such a route on its host (HostNotFound); the gateway reads it the same way.
        var decision = Decide(Pool(), [Mapped("alice", pin: "h9", held: "h2", SessionRoutePhase.Disconnected)], Request("alice"));

        Assert.Equal((RoutingResult.Routed, "h2", false), (decision.Result, decision.Host?.Name, decision.NewRoute));
    }

    [Fact]
    public void Decide_DisconnectedRepinnedToDrainingHost_StaysOnItsHeldHost()
    {
        var pool = Pool([new GatewayHost("h1", "10.0.0.1"), new GatewayHost("h2", "10.0.0.2", Draining: true)]);

        var decision = Decide(pool, [Mapped("alice", pin: "h2", held: "h1", SessionRoutePhase.Disconnected)], Request("alice"));

        Assert.Equal((RoutingResult.Routed, "h1", false), (decision.Result, decision.Host?.Name, decision.NewRoute));
    }

    [Theory]
    [InlineData(SessionRoutePhase.Disconnected, "h3")]
    [InlineData(SessionRoutePhase.Bound, "h3")]
    [InlineData(SessionRoutePhase.Active, "h2")]
    public void Decide_RepinnedToUsableHost_MovesOnceNoConnectionRuns(SessionRoutePhase phase, string expected)
    {
        var decision = Decide(Pool(), [Mapped("alice", pin: "h3", held: "h2", phase)], Request("alice"));

        Assert.Equal((RoutingResult.Routed, expected), (decision.Result, decision.Host?.Name));
    }

    [Fact]
    public void Decide_HostReplacedByPodOfSameName_RouteMovedNotJoinedToTheNewPod()
    {
        var pool = Pool([new GatewayHost("h1", "10.0.0.1", Uid: "uid-new"), new GatewayHost("h2", "10.0.0.2", Uid: "uid-2")]);

        var decision = Decide(pool, [Mapped("alice", pin: null, held: "h1", SessionRoutePhase.Disconnected, uid: "uid-old")], Request("alice"));

        Assert.Equal((RoutingResult.Routed, true), (decision.Result, decision.NewRoute));
        Assert.StartsWith("route moved", decision.Reason, StringComparison.Ordinal);
        Assert.Contains("'h1' is not in the pool", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_PinnedHostReplacedByPodOfSameName_Rejected()
    {
        var pool = Pool([new GatewayHost("h1", "10.0.0.1", Uid: "uid-new")]);

        var decision = Decide(pool, [Mapped("alice", pin: "h1", held: "h1", SessionRoutePhase.Disconnected, uid: "uid-old")], Request("alice"));

        Assert.Equal(RoutingResult.RejectedNoHealthyHost, decision.Result);
    }

    [Theory]
    [InlineData("uid-1")]
    [InlineData(null)]
    public void Decide_SamePodOrNoUidRecorded_ExistingRoute(string? recorded)
    {
        var pool = Pool([new GatewayHost("h1", "10.0.0.1", Uid: "uid-1")]);

        var decision = Decide(pool, [Mapped("alice", pin: null, held: "h1", SessionRoutePhase.Disconnected, uid: recorded)], Request("alice"));

        Assert.Equal((RoutingResult.Routed, "h1", false), (decision.Result, decision.Host?.Name, decision.NewRoute));
    }

    [Fact]
    public void Decide_RequestedUsableHost_NewRouteThere()
    {
        var decision = Decide(Pool(), [.. OnHost("h3", 5)], Request(requestedHost: "h3"));

        Assert.Equal("h3", decision.Host?.Name);
        Assert.True(decision.NewRoute);
    }

    [Fact]
    public void Decide_RequestedHostDiffersFromRoute_MovesToRequested()
    {
        var decision = Decide(Pool(), [Route("alice", "h1")], Request("alice", requestedHost: "h2"));

        Assert.Equal("h2", decision.Host?.Name);
        Assert.True(decision.NewRoute);
    }

    [Fact]
    public void Decide_RequestedHostIsOwnDrainingHost_Routed()
    {
        var pool = Pool([new GatewayHost("h1", "10.0.0.1", Draining: true), new GatewayHost("h2", "10.0.0.2")]);

        var decision = Decide(pool, [Route("alice", "h1")], Request("alice", requestedHost: "h1"));

        Assert.Equal("h1", decision.Host?.Name);
        Assert.False(decision.NewRoute);
    }

    [Theory]
    [InlineData("h9", "requested host 'h9' is not in the pool")]
    [InlineData("h2", "requested host 'h2' is draining")]
    [InlineData("h3", "requested host 'h3' is unhealthy")]
    public void Decide_RequestedHostUnusable_RejectedWithReason(string requested, string reason)
    {
        var pool = Pool([new GatewayHost("h1", "10.0.0.1"), new GatewayHost("h2", "10.0.0.2", Draining: true), new GatewayHost("h3", "10.0.0.3")]);
        _health.Set(Key, "h3", HostHealth.Unhealthy);

        var decision = Decide(pool, [], Request(requestedHost: requested));

        Assert.Equal(RoutingResult.RejectedNoHealthyHost, decision.Result);
        Assert.Equal(reason, decision.Reason);
    }

    [Theory]
    [InlineData(FullPoolAction.Queue, RoutingResult.Queued)]
    [InlineData(FullPoolAction.Reject, RoutingResult.RejectedFull)]
    public void Decide_RequestedHostFull_PerWhenFull(object whenFullValue, object expected)
    {
        var whenFull = (FullPoolAction)whenFullValue;
        var decision = Decide(Pool(sessionsPerHost: 2, whenFull: whenFull), [.. OnHost("h1", 2)], Request(requestedHost: "h1"));

        Assert.Equal(expected, decision.Result);
        Assert.Contains("requested host 'h1' is full (2/2 sessions)", decision.Reason);
    }

    [Fact]
    public void Decide_UserAtMaxSessions_RejectedFull()
    {
        var pool = WithMaxSessions(2);

        var decision = Decide(pool, [Route("alice", "h1", connections: 2)], Request("alice"));

        Assert.Equal(RoutingResult.RejectedFull, decision.Result);
        Assert.Contains("already has 2 open sessions", decision.Reason);
    }

    [Fact]
    public void Decide_UserBelowMaxSessions_Routed()
    {
        var decision = Decide(WithMaxSessions(2), [Route("alice", "h1", connections: 1)], Request("alice"));

        Assert.Equal(RoutingResult.Routed, decision.Result);
    }

    [Fact]
    public void Decide_NewSession_SkipsEveryUnusableHost()
    {
        var pool = Pool(
        [
            new GatewayHost("draining", "10.0.0.1", Draining: true),
            new GatewayHost("unready", "10.0.0.2", Ready: false),
            new GatewayHost("sick", "10.0.0.3"),
            new GatewayHost("excluded", "10.0.0.4"),
            new GatewayHost("unweighted", "10.0.0.5", Weight: 0),
            new GatewayHost("full", "10.0.0.6"),
            new GatewayHost("fine", "10.0.0.7"),
        ], sessionsPerHost: 3);
        _health.Set(Key, "sick", HostHealth.Unhealthy);
        _health.Set(Key, "fine", HostHealth.Healthy);

        var decision = Decide(pool, [.. OnHost("full", 3), .. OnHost("fine", 2)], Request(), ["excluded"]);

        Assert.Equal("fine", decision.Host?.Name);
        Assert.True(decision.NewRoute);
    }

    [Fact]
    public void Decide_UnknownHealth_Usable()
    {
        var decision = Decide(Pool(hosts: 1), [], Request());

        Assert.Equal("h1", decision.Host?.Name);
    }

    [Theory]
    [InlineData(FullPoolAction.Queue, RoutingResult.Queued)]
    [InlineData(FullPoolAction.Reject, RoutingResult.RejectedFull)]
    public void Decide_AllUsableHostsFull_PerWhenFull(object whenFullValue, object expected)
    {
        var whenFull = (FullPoolAction)whenFullValue;
        _health.Set(Key, "h3", HostHealth.Unhealthy);

        var decision = Decide(Pool(sessionsPerHost: 1, whenFull: whenFull), [.. OnHost("h1", 1), .. OnHost("h2", 1)], Request());

        Assert.Equal(expected, decision.Result);
        Assert.Contains("all 2 usable hosts are full", decision.Reason);
        Assert.Null(decision.Host);
    }

    [Fact]
    public void Decide_NoUsableHost_RejectedNoHealthyHost()
    {
        _health.Set(Key, "h1", HostHealth.Unhealthy);
        var pool = Pool([new GatewayHost("h1", "10.0.0.1"), new GatewayHost("h2", "10.0.0.2", Draining: true)]);

        var decision = Decide(pool, [], Request());

        Assert.Equal(RoutingResult.RejectedNoHealthyHost, decision.Result);
    }

    [Fact]
    public void Decide_EmptyPool_RejectedNoHealthyHost()
    {
        Assert.Equal(RoutingResult.RejectedNoHealthyHost, Decide(Pool(hosts: 0), [], Request()).Result);
    }

    [Theory]
    [InlineData(0, FullPoolAction.Queue, RoutingResult.Queued)]
    [InlineData(0, FullPoolAction.Reject, RoutingResult.RejectedFull)]
    [InlineData(2, FullPoolAction.Queue, RoutingResult.Queued)]
    public void Decide_NoUsableHostInAPoolThatCanGrow_WaitsAsWhenFull(int startingHosts, object whenFullValue, object expected)
    {
        // Scaled to zero, or its first pods not Ready yet: the Pending route a queued user leaves makes the pool scale up.
        var starting = Enumerable.Range(1, startingHosts).Select(i => new GatewayHost($"h{i}", $"10.0.0.{i}", Ready: false)).ToList();
        var pool = Pool(starting, whenFull: (FullPoolAction)whenFullValue);

        var decision = Decide(new GatewayPool
        {
            Key = pool.Key, Protocols = pool.Protocols, Hosts = pool.Hosts, WhenFull = pool.WhenFull, CanGrow = true,
        }, [], Request());

        Assert.Equal(expected, decision.Result);
        Assert.Contains("the pool may still add hosts", decision.Reason);
    }

    [Fact]
    public void Decide_RoutesWithoutSlot_DoNotCountTowardCapacity()
    {
        RouteRecord[] routes =
        [
            Route("a", "h1", SessionRoutePhase.Expired, 0), Route("b", "h1", SessionRoutePhase.Failed, 0), Route("c", null, SessionRoutePhase.Pending, 0),
        ];

        var decision = Decide(Pool(hosts: 1, sessionsPerHost: 1), routes, Request());

        Assert.Equal("h1", decision.Host?.Name);
    }

    [Fact]
    public void Decide_DisconnectedAndBoundRoutes_HoldSlots()
    {
        RouteRecord[] routes = [Route("a", "h1", SessionRoutePhase.Disconnected, 0), Route("b", "h1", SessionRoutePhase.Bound, 0)];

        var decision = Decide(Pool(hosts: 1, sessionsPerHost: 2), routes, Request());

        Assert.Equal(RoutingResult.RejectedFull, decision.Result);
    }

    [Fact]
    public void Decide_Protocol_PortOfThatProtocol()
    {
        var decision = Decide(Pool(), [], Request(protocol: "ssh"));

        Assert.Equal(22, decision.Host?.Port);
    }

    [Fact]
    public void Decide_ManyHosts_PicksTheOnlyFreeOne()
    {
        var pool = Pool(hosts: 200, sessionsPerHost: 1);
        var routes = Enumerable.Range(1, 200).Where(i => i != 137).Select(i => Route($"u{i}", $"h{i}")).ToArray();

        var decision = Decide(pool, routes, Request());

        Assert.Equal("h137", decision.Host?.Name);
    }

    [Fact]
    public void Decide_PreferredHostUsableWithAFreeSlot_TakesItOverTheStrategy()
    {
        // LeastSessions alone would pick h2 (empty); the preferred h1 still has a free slot.
        var decision = Decide(Pool(hosts: 2, sessionsPerHost: 2), [.. OnHost("h1", 1)], Request() with { PreferredHost = "h1" });

        Assert.Equal(("h1", true, false), (decision.Host?.Name, decision.NewRoute, decision.Reason.Contains("LeastSessions", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("full")]
    [InlineData("unhealthy")]
    [InlineData("unknown")]
    public void Decide_PreferredHostFullUnhealthyOrGone_TheStrategyDecides(string why)
    {
        var routes = why == "full" ? OnHost("h1", 2).ToArray() : [];
        if (why == "unhealthy")
        {
            _health.Set(Key, "h1", HostHealth.Unhealthy);
        }

        var preferred = why == "unknown" ? "h9" : "h1";
        var decision = Decide(Pool(hosts: 2, sessionsPerHost: 2), routes, Request() with { PreferredHost = preferred });

        Assert.Equal(RoutingResult.Routed, decision.Result);
        Assert.Equal("h2", decision.Host?.Name);
    }

    [Fact]
    public void Decide_PreferredHost_IgnoredWhileTheKeyHasALiveRoute()
    {
        var decision = Decide(Pool(hosts: 2), [Route("alice", "h2")], Request("alice") with { PreferredHost = "h1" });

        Assert.Equal(("h2", false), (decision.Host?.Name, decision.NewRoute));
    }

    private RoutingDecision Decide(GatewayPool? pool, IReadOnlyList<RouteRecord> routes, RouteRequest request, IReadOnlyCollection<string>? excluded = null) =>
        RoutingEngine.Decide(pool, routes, _health, request, excluded ?? [], _state);

    private static GatewayPool WithAccess(string[] users, string[] groups)
    {
        var pool = Pool();
        return new GatewayPool { Key = pool.Key, Protocols = pool.Protocols, Hosts = pool.Hosts, Access = new PoolAccess(users, groups) };
    }

    private static GatewayPool WithMaxSessions(int max)
    {
        var pool = Pool();
        return new GatewayPool { Key = pool.Key, Protocols = pool.Protocols, Hosts = pool.Hosts, SessionsPerHost = 10, MaxSessionsPerUser = max };
    }
}
