using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Controllers.Routes;
using DesktopOperator.Runtime.Objects;
using k8s.Models;

namespace DesktopOperator.Controllers.Tests.Routes;

/// <summary>The SessionRoute controller's decisions, without I/O.</summary>
public sealed class RoutePlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LeastSessions_PicksUsableHostWithFewestRoutes_TiesByName_NullWhenFull()
    {
        HostCandidate[] hosts = [new("c", "10.0.0.3", null, 1), new("b", "10.0.0.2", null, 0), new("a", "10.0.0.1", "is not ready", 0), new("d", "10.0.0.4", null, 0)];

        Assert.Equal("b", HostChoice.LeastSessions(hosts, 2)?.Name);
        Assert.Equal(5, HostChoice.FreeSlots(hosts, 2)); // c 1 + b 2 + d 2; a is not ready
        Assert.Null(HostChoice.LeastSessions([new("c", "x", null, 2), new("a", "y", "is draining (Surplus)", 0)], 2));
    }

    [Fact]
    public void PendingRoute_BoundToLeastLoadedHost_ReadyTrueAndEvent()
    {
        var plan = RoutePlanner.Plan(Route(), Pool(perHost: 2), [new("h1", "10.0.0.1", null, 1), new("h2", "10.0.0.2", null, 0)], 0, Now);

        Assert.Equal(RouteAction.WriteStatus, plan.Action);
        Assert.True(plan.Binds);
        Assert.Equal((SessionRoutePhase.Bound, "h2", "10.0.0.2", Now), (plan.Status!.Phase, plan.Status.Host, plan.Status.HostAddress, plan.Status.BoundAt));
        AssertReady(plan, Conditions.True, ConditionReasons.Bound);
        Assert.Equal(ConditionReasons.Bound, plan.Event?.Reason);
    }

    [Fact]
    public void PendingRoute_PoolFull_StaysPendingQueued_AndSecondPassWritesNothing()
    {
        HostCandidate[] full = [new("h1", "10.0.0.1", null, 1)];
        var plan = RoutePlanner.Plan(Route(), Pool(), full, 0, Now);

        Assert.Equal(SessionRoutePhase.Pending, plan.Status!.Phase);
        AssertReady(plan, Conditions.False, ConditionReasons.Queued);
        var again = RoutePlanner.Plan(Route(status: plan.Status), Pool(), full, 0, Now.AddSeconds(5));
        Assert.Equal(RouteAction.Keep, again.Action);
    }

    [Fact]
    public void PendingRoute_BehindOthersInTheQueue_WaitsForItsTurn()
    {
        var plan = RoutePlanner.Plan(Route(), Pool(), [new("h1", "10.0.0.1", null, 0)], queuePosition: 1, Now);

        AssertReady(plan, Conditions.False, ConditionReasons.Queued);
        Assert.False(plan.Binds);
    }

    [Fact]
    public void PoolMissing_ConditionNamesSpecPool_WarningEvent()
    {
        var plan = RoutePlanner.Plan(Route(), null, [], 0, Now);

        AssertReady(plan, Conditions.False, ConditionReasons.PoolNotFound);
        Assert.StartsWith("spec.pool: DesktopPool 'desk' does not exist", plan.Event!.Message, StringComparison.Ordinal);
        Assert.Equal(Conditions.True, Conditions.Find(plan.Status!.Conditions, ConditionTypes.Degraded)?.Status);
    }

    [Fact]
    public void PinnedHostNotInPool_HostNotFoundOnSpecHost_NotBound()
    {
        var plan = RoutePlanner.Plan(Route(pin: "nope"), Pool(), [new("h1", "10.0.0.1", null, 0)], 0, Now);

        AssertReady(plan, Conditions.False, ConditionReasons.HostNotFound);
        Assert.Equal("spec.host: 'nope' is not a host of pool 'desk'", plan.Event!.Message);
        Assert.Null(plan.Status!.Host);
    }

    [Fact]
    public void PinnedHost_UserNotInPoolAccess_AccessDeniedOnSpecUser_WarningEvent_NotBound()
    {
        var plan = RoutePlanner.Plan(Route(pin: "h1"), Pool(access: new AccessSpec { Users = ["bob"] }), [new("h1", "10.0.0.1", null, 0)], 0, Now);

        AssertReady(plan, Conditions.False, ConditionReasons.AccessDenied);
        Assert.False(plan.Binds);
        Assert.Equal((SessionRoutePhase.Pending, (string?)null), (plan.Status!.Phase, plan.Status.Host));
        Assert.Equal(Conditions.True, Conditions.Find(plan.Status.Conditions, ConditionTypes.Degraded)?.Status);
        Assert.Equal(
            ("Warning", ConditionReasons.AccessDenied, "spec.user: 'alice' may not use pool 'desk': not in its spec.access.users, and spec.access lists no groups"),
            (plan.Event!.Type, plan.Event.Reason, plan.Event.Message));
    }

    [Fact]
    public void UnpinnedRoute_AccessRefusesUser_NotBound_ListedUserOrPossibleGroupMemberBinds()
    {
        HostCandidate[] hosts = [new("h1", "10.0.0.1", null, 0)];

        AssertReady(RoutePlanner.Plan(Route(), Pool(access: new AccessSpec { Users = ["bob"] }), hosts, 0, Now), Conditions.False, ConditionReasons.AccessDenied);
        Assert.True(RoutePlanner.Plan(Route(), Pool(access: new AccessSpec { Users = ["Alice"] }), hosts, 0, Now).Binds);

        // A route carries no groups: alice may be in one, which the gateway checks when she connects.
        Assert.True(RoutePlanner.Plan(Route(), Pool(access: new AccessSpec { Groups = ["designers"] }), hosts, 0, Now).Binds);
    }

    [Theory]
    [InlineData(SessionRoutePhase.Bound)]
    [InlineData(SessionRoutePhase.Disconnected)]
    [InlineData(SessionRoutePhase.Active)]
    public void LiveRoute_UserNoLongerInPoolAccess_AccessDeniedCondition_KeepsHostAndPhase_ClearedWhenAllowedAgain(SessionRoutePhase phase)
    {
        var status = new SessionRouteStatus { Phase = phase, Host = "h1", HostUid = "uid-1", BoundAt = Now.AddHours(-1), LastSeen = Now.AddMinutes(-1) };
        HostCandidate[] hosts = [new("h1", "10.0.0.1", null, 1, Now.AddHours(-2), "uid-1")];

        var refused = RoutePlanner.Plan(Route(status: status), Pool(access: new AccessSpec { Users = ["bob"] }), hosts, 0, Now);

        Assert.Equal((phase, "h1"), (refused.Status!.Phase, refused.Status.Host));
        AssertReady(refused, Conditions.False, ConditionReasons.AccessDenied);
        Assert.Equal(Conditions.True, Conditions.Find(refused.Status.Conditions, ConditionTypes.Degraded)?.Status);
        Assert.Equal(("Warning", ConditionReasons.AccessDenied), (refused.Event!.Type, refused.Event.Reason));
        Assert.False(refused.Binds);

        var allowed = RoutePlanner.Plan(Route(status: refused.Status), Pool(access: new AccessSpec { Users = ["bob", "alice"] }), hosts, 0, Now);
        AssertReady(allowed, Conditions.True, ConditionReasons.Bound);
        Assert.Null(Conditions.Find(allowed.Status!.Conditions, ConditionTypes.Degraded));
    }

    [Fact]
    public void DisconnectedRoute_RepinnedToAnotherUsableHost_BoundThere_EventNamesIt()
    {
        var status = new SessionRouteStatus { Phase = SessionRoutePhase.Disconnected, Host = "h1", BoundAt = Now.AddHours(-1), LastSeen = Now.AddMinutes(-1) };

        var plan = RoutePlanner.Plan(Route(pin: "h2", status: status), Pool(), [new("h1", "10.0.0.1", null, 1), new("h2", "10.0.0.2", null, 1)], 0, Now);

        Assert.True(plan.Binds);
        Assert.Equal((SessionRoutePhase.Bound, "h2", "10.0.0.2", Now), (plan.Status!.Phase, plan.Status.Host, plan.Status.HostAddress, plan.Status.BoundAt));
        AssertReady(plan, Conditions.True, ConditionReasons.Bound);
        Assert.Equal("Bound to host h2 of pool desk", plan.Event!.Message);
    }

    [Fact]
    public void ActiveRoute_Repinned_KeepsItsHostWhileConnected_MovesOnceDisconnected()
    {
        HostCandidate[] hosts = [new("h1", "10.0.0.1", null, 1), new("h2", "10.0.0.2", null, 0)];
        var active = new SessionRouteStatus { Phase = SessionRoutePhase.Active, Host = "h1", HostAddress = "10.0.0.1", BoundAt = Now.AddHours(-1), LastSeen = Now, ActiveConnections = 1 };

        Assert.Equal(RouteAction.Keep, RoutePlanner.Plan(Route(pin: "h2", status: active), Pool(), hosts, 0, Now).Action);
        var disconnected = new SessionRouteStatus { Phase = SessionRoutePhase.Disconnected, Host = "h1", BoundAt = active.BoundAt, LastSeen = Now };
        Assert.Equal("h2", RoutePlanner.Plan(Route(pin: "h2", status: disconnected), Pool(), hosts, 0, Now).Status?.Host);
    }

    [Fact]
    public void DisconnectedRoute_RepinnedToHostNotInPoolOrNotUsable_KeepsItsHostAndPhase_ConditionSaysWhy()
    {
        var status = new SessionRouteStatus { Phase = SessionRoutePhase.Disconnected, Host = "h1", BoundAt = Now.AddHours(-1), LastSeen = Now.AddMinutes(-1) };
        HostCandidate[] hosts = [new("h1", "10.0.0.1", null, 1), new("h2", "10.0.0.2", "is draining (Surplus)", 0)];

        var missing = RoutePlanner.Plan(Route(pin: "nope", status: status), Pool(), hosts, 0, Now);
        var draining = RoutePlanner.Plan(Route(pin: "h2", status: status), Pool(), hosts, 0, Now);

        Assert.Equal((SessionRoutePhase.Disconnected, "h1"), (missing.Status!.Phase, missing.Status.Host));
        AssertReady(missing, Conditions.False, ConditionReasons.HostNotFound);
        Assert.Equal((SessionRoutePhase.Disconnected, "h1"), (draining.Status!.Phase, draining.Status.Host));
        AssertReady(draining, Conditions.False, ConditionReasons.HostNotUsable);
        Assert.Equal("spec.host: host 'h2' is draining (Surplus)", draining.Event!.Message);
        Assert.False(missing.Binds || draining.Binds);
    }

    [Theory]
    [InlineData(SessionRoutePhase.Disconnected)]
    [InlineData(SessionRoutePhase.Bound)]
    public void RepinnedRoute_HostItLeavesIsGone_MovesToThePin_NotFailed(SessionRoutePhase phase)
    {
        var status = new SessionRouteStatus { Phase = phase, Host = "h1", BoundAt = Now.AddHours(-1), LastSeen = Now.AddMinutes(-1) };
        HostCandidate[] hosts = [new("h2", "10.0.0.2", null, 0)]; // h1 is gone

        var plan = RoutePlanner.Plan(Route(pin: "h2", status: status), Pool(), hosts, 0, Now);

        Assert.True(plan.Binds);
        Assert.Equal((SessionRoutePhase.Bound, "h2", "10.0.0.2"), (plan.Status!.Phase, plan.Status.Host, plan.Status.HostAddress));
        AssertReady(plan, Conditions.True, ConditionReasons.Bound);
    }

    [Fact]
    public void RepinnedActiveRoute_HostItStaysOnIsGone_Failed()
    {
        // Active: its connections run on h1 (it moves to the pin only once Disconnected), so h1 gone fails it.
        var status = new SessionRouteStatus { Phase = SessionRoutePhase.Active, Host = "h1", BoundAt = Now.AddHours(-1), LastSeen = Now, ActiveConnections = 1 };

        var plan = RoutePlanner.Plan(Route(pin: "h2", status: status), Pool(), [new("h2", "10.0.0.2", null, 0)], 0, Now);

        Assert.Equal(SessionRoutePhase.Failed, plan.Status!.Phase);
        AssertReady(plan, Conditions.False, ConditionReasons.HostGone);
    }

    [Fact]
    public void RepinnedRoute_PinNotUsableAndHostItStaysOnIsGone_Failed()
    {
        // The pin is not usable, so the route stays on h1 (RouteLifecycle.HostOf with the pin's usability, the gateway's
        // reading too) and is judged by it: h1 gone fails it, as the gateway's sweep does.
        var status = new SessionRouteStatus { Phase = SessionRoutePhase.Disconnected, Host = "h1", BoundAt = Now.AddHours(-1), LastSeen = Now.AddMinutes(-1) };

        var missing = RoutePlanner.Plan(Route(pin: "nope", status: status), Pool(), [new("h2", "10.0.0.2", null, 0)], 0, Now);
        var draining = RoutePlanner.Plan(Route(pin: "h2", status: status), Pool(), [new("h2", "10.0.0.2", "is draining (Surplus)", 0)], 0, Now);

        Assert.Equal((SessionRoutePhase.Failed, SessionRoutePhase.Failed), (missing.Status!.Phase, draining.Status!.Phase));
        AssertReady(missing, Conditions.False, ConditionReasons.HostGone);
    }

    [Fact]
    public void PinnedHostNotUsable_Waits_ThenBindsEvenIfOthersAreFree()
    {
        var waiting = RoutePlanner.Plan(Route(pin: "h1"), Pool(), [new("h1", "10.0.0.1", "is draining (Surplus)", 0), new("h2", "10.0.0.2", null, 0)], 0, Now);
        AssertReady(waiting, Conditions.False, ConditionReasons.HostNotUsable);
        Assert.Equal("spec.host: host 'h1' is draining (Surplus)", waiting.Event!.Message);

        var bound = RoutePlanner.Plan(Route(pin: "h1", status: waiting.Status), Pool(), [new("h1", "10.0.0.1", null, 0), new("h2", "10.0.0.2", null, 0)], 0, Now);
        Assert.Equal("h1", bound.Status!.Host);
        Assert.Null(Conditions.Find(bound.Status.Conditions, ConditionTypes.Degraded));
    }

    [Fact]
    public void DisconnectedRoute_ExpiresAfterResumeFor_ThenIsDeleted()
    {
        var status = new SessionRouteStatus { Phase = SessionRoutePhase.Disconnected, Host = "h1", HostAddress = "10.0.0.1", LastSeen = Now.AddMinutes(-30) };
        HostCandidate[] hosts = [new("h1", "10.0.0.1", null, 1)];

        var before = RoutePlanner.Plan(Route(status: status), Pool(resumeFor: "1h"), hosts, 0, Now);
        Assert.Equal((RouteAction.Keep, TimeSpan.FromMinutes(30)), (before.Action, before.RequeueAfter));

        var expired = RoutePlanner.Plan(Route(status: status), Pool(resumeFor: "20m"), hosts, 0, Now);
        Assert.Equal(SessionRoutePhase.Expired, expired.Status!.Phase);
        AssertReady(expired, Conditions.False, ConditionReasons.ResumeExpired);

        Assert.Equal(RouteAction.Delete, RoutePlanner.Plan(Route(status: expired.Status), Pool(resumeFor: "20m"), hosts, 0, Now).Action);
    }

    [Fact]
    public void QueuedRoute_BoundAfterWaitingLongerThanResumeFor_ResumeForCountsFromTheBinding()
    {
        // The user waited 10 minutes in the queue (the gateway refreshed lastSeen then); a slot frees and the operator binds.
        var waiting = new SessionRouteStatus { Phase = SessionRoutePhase.Pending, LastSeen = Now.AddMinutes(-10) };
        HostCandidate[] hosts = [new("h1", "10.0.0.1", null, 0)];

        var bound = RoutePlanner.Plan(Route(status: waiting), Pool(resumeFor: "2s"), hosts, 0, Now);
        Assert.Equal((SessionRoutePhase.Bound, "h1", Now), (bound.Status!.Phase, bound.Status.Host, bound.Status.BoundAt));

        // Before the gateway counts the held connection the binding lets through, the route must not expire.
        var soon = RoutePlanner.Plan(Route(status: bound.Status), Pool(resumeFor: "2s"), hosts, 0, Now.AddSeconds(1));
        Assert.NotEqual(SessionRoutePhase.Expired, soon.Status?.Phase);
        Assert.Equal(TimeSpan.FromSeconds(1), soon.RequeueAfter);

        var unused = RoutePlanner.Plan(Route(status: bound.Status), Pool(resumeFor: "2s"), hosts, 0, Now.AddSeconds(2));
        Assert.Equal(SessionRoutePhase.Expired, unused.Status!.Phase);
    }

    [Fact]
    public void LiveRoute_HostGone_Failed_HostGoneWarning()
    {
        var status = new SessionRouteStatus { Phase = SessionRoutePhase.Active, Host = "h1", LastSeen = Now, ActiveConnections = 1 };

        var plan = RoutePlanner.Plan(Route(status: status), Pool(), [new("h2", "10.0.0.2", null, 0)], 0, Now);

        Assert.Equal(SessionRoutePhase.Failed, plan.Status!.Phase);
        AssertReady(plan, Conditions.False, ConditionReasons.HostGone);
        Assert.Equal("status.host: host 'h1' is gone from pool 'desk'", plan.Event!.Message);
    }

    [Fact]
    public void LiveRoute_HostRecreatedUnderTheSameName_Failed()
    {
        var status = new SessionRouteStatus { Phase = SessionRoutePhase.Disconnected, Host = "h1", HostAddress = "10.0.0.1", BoundAt = Now.AddMinutes(-10), LastSeen = Now };

        var replaced = RoutePlanner.Plan(Route(status: status), Pool(), [new("h1", "10.0.0.9", null, 1, Now.AddMinutes(-1))], 0, Now);
        var same = RoutePlanner.Plan(Route(status: status), Pool(), [new("h1", "10.0.0.1", null, 1, Now.AddHours(-1))], 0, Now);

        Assert.Equal(SessionRoutePhase.Failed, replaced.Status!.Phase);
        Assert.Equal(RouteAction.Keep, same.Action);
    }

    [Fact]
    public void ActiveRouteOnItsHost_LeftToTheGateway()
    {
        var status = new SessionRouteStatus { Phase = SessionRoutePhase.Active, Host = "h1", HostAddress = "10.0.0.1", HostUid = "uid-1", LastSeen = Now.AddDays(-2), ActiveConnections = 1 };

        var plan = RoutePlanner.Plan(Route(status: status), Pool(resumeFor: "1h"), [new("h1", "10.0.0.1", null, 1, Uid: "uid-1")], 0, Now);

        Assert.Equal((RouteAction.Keep, (TimeSpan?)null), (plan.Action, plan.RequeueAfter));
    }

    [Fact]
    public void PendingRoute_Bound_RecordsThePodUid()
    {
        var plan = RoutePlanner.Plan(Route(), Pool(), [new("h1", "10.0.0.1", null, 0, Now.AddHours(-1), "uid-1")], 0, Now);

        Assert.Equal(("h1", "uid-1"), (plan.Status!.Host, plan.Status.HostUid));
    }

    [Fact]
    public void RouteTheGatewayBound_OnItsHost_UidAndAddressRecordedOnce_NoEvent()
    {
        // The gateway binds by name only: the controller records which pod that is, and its address.
        var status = new SessionRouteStatus { Phase = SessionRoutePhase.Active, Host = "h1", BoundAt = Now.AddMinutes(-1), LastSeen = Now, ActiveConnections = 1 };
        HostCandidate[] hosts = [new("h1", "10.0.0.1", null, 1, Now.AddHours(-1), "uid-1")];

        var plan = RoutePlanner.Plan(Route(status: status), Pool(), hosts, 0, Now);

        Assert.Equal(RouteAction.WriteStatus, plan.Action);
        Assert.Equal((SessionRoutePhase.Active, "h1", 1, "uid-1", "10.0.0.1"), (plan.Status!.Phase, plan.Status.Host, plan.Status.ActiveConnections, plan.Status.HostUid, plan.Status.HostAddress));
        Assert.Null(plan.Event);
        Assert.False(plan.Binds);
        Assert.Equal(RouteAction.Keep, RoutePlanner.Plan(Route(status: plan.Status), Pool(), hosts, 0, Now.AddSeconds(5)).Action);
    }

    [Theory]
    [InlineData(SessionRoutePhase.Bound)]
    [InlineData(SessionRoutePhase.Active)]
    [InlineData(SessionRoutePhase.Disconnected)]
    public void LiveRoute_NewPodReusesTheName_UidDiffers_HostGone_EvenWhenCreatedInTheSameSecond(SessionRoutePhase phase)
    {
        // A fast delete and create (or a static pod name): the new pod's creation time cannot tell it from the old one.
        var status = new SessionRouteStatus { Phase = phase, Host = "h1", HostUid = "uid-old", BoundAt = Now.AddMinutes(-10), LastSeen = Now };

        var replaced = RoutePlanner.Plan(Route(status: status), Pool(), [new("h1", "10.0.0.1", null, 1, Now.AddMinutes(-10), "uid-new")], 0, Now);
        var same = RoutePlanner.Plan(Route(status: status), Pool(), [new("h1", "10.0.0.1", null, 1, Now.AddMinutes(-10), "uid-old")], 0, Now);

        Assert.Equal(SessionRoutePhase.Failed, replaced.Status!.Phase);
        AssertReady(replaced, Conditions.False, ConditionReasons.HostGone);
        Assert.NotEqual(SessionRoutePhase.Failed, same.Status?.Phase ?? phase);
    }

    private static void AssertReady(RoutePlan plan, string status, string reason)
    {
        var ready = Conditions.Find(plan.Status!.Conditions, ConditionTypes.Ready);
        Assert.Equal((status, reason), (ready?.Status, ready?.Reason));
    }

    private static SessionRoute Route(string? pin = null, SessionRouteStatus? status = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "desk-alice", NamespaceProperty = "ns", Generation = 1, CreationTimestamp = Now.AddHours(-1).UtcDateTime },
        Spec = new SessionRouteSpec { Pool = "desk", User = "alice", Host = pin },
        Status = status,
    };

    private static DesktopPool Pool(int perHost = 1, string resumeFor = "8h", AccessSpec? access = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "desk", NamespaceProperty = "ns", Uid = "u1" },
        Spec = new DesktopPoolSpec
        {
            Template = new HostTemplate(),
            Protocols = [new ProtocolSpec { Name = "rdp", Kind = ProtocolKind.Rdp, Port = 3389, GatewayPort = 3389 }],
            Capacity = new CapacitySpec { SessionsPerHost = perHost },
            Affinity = new AffinitySpec { ResumeFor = resumeFor },
            Access = access ?? new AccessSpec(),
        },
    };
}
