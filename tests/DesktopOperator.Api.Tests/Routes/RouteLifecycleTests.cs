using System.Net;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Api.Tests.Routes;

public sealed class RouteLifecycleTests
{
    private static readonly TimeSpan ResumeFor = TimeSpan.FromHours(1);
    private static readonly TimeSpan PendingTimeout = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MayRepin_EveryPhase_OnlyRoutesHoldingASlotWithoutLiveConnection()
    {
        var moving = Enum.GetValues<SessionRoutePhase>().Where(RouteLifecycle.MayRepin);

        Assert.Equal([SessionRoutePhase.Bound, SessionRoutePhase.Disconnected], moving);
    }

    [Theory]
    [InlineData(-10, 0, 0)] // bound from the queue after waiting: the binding counts
    [InlineData(0, -10, 0)] // seen after it was bound: the last sight counts
    [InlineData(null, -10, -10)]
    [InlineData(-10, null, -10)]
    [InlineData(null, null, -60)]
    public void LastActivity_TheLaterOfLastSeenAndBoundAt(int? lastSeenMinutes, int? boundAtMinutes, int expectedMinutes)
    {
        DateTimeOffset? At(int? minutes) => minutes is { } m ? Now.AddMinutes(m) : null;

        Assert.Equal(Now.AddMinutes(expectedMinutes), RouteLifecycle.LastActivity(At(lastSeenMinutes), At(boundAtMinutes), Now.AddMinutes(-60)));
    }

    [Theory]
    [InlineData(null, "h1", SessionRoutePhase.Active, "h1")]
    [InlineData("h2", null, SessionRoutePhase.Pending, "h2")]
    [InlineData("h2", "h1", SessionRoutePhase.Active, "h1")]
    [InlineData("h2", "h1", SessionRoutePhase.Bound, "h2")]
    [InlineData("h2", "h1", SessionRoutePhase.Disconnected, "h2")]
    [InlineData("h2", "h1", SessionRoutePhase.Failed, "h2")]
    [InlineData("h2", "h1", SessionRoutePhase.Expired, "h2")]
    [InlineData("h1", "h1", SessionRoutePhase.Active, "h1")]
    public void HostOf_PinUnlessActiveOnTheHeldHost(string? pin, string? held, SessionRoutePhase phase, string expected)
    {
        Assert.Equal(expected, RouteLifecycle.HostOf(pin, held, phase));
    }

    [Theory]
    [InlineData("h2", "h1", SessionRoutePhase.Disconnected, true, "h2")]
    [InlineData("h2", "h1", SessionRoutePhase.Disconnected, false, "h1")]
    [InlineData("h2", "h1", SessionRoutePhase.Bound, false, "h1")]
    [InlineData("h2", "h1", SessionRoutePhase.Active, true, "h1")]
    [InlineData("h2", null, SessionRoutePhase.Pending, false, "h2")]
    [InlineData("h2", "h1", SessionRoutePhase.Failed, false, "h2")]
    public void HostOf_PinNotUsable_StaysOnTheHeldHost(string? pin, string? held, SessionRoutePhase phase, bool pinUsable, string expected)
    {
        Assert.Equal(expected, RouteLifecycle.HostOf(pin, held, phase, pinUsable));
    }

    [Theory]
    [InlineData("uid-a", "uid-a", true)]
    [InlineData("uid-a", "uid-b", false)]
    [InlineData(null, "uid-b", true)]
    [InlineData("uid-a", null, true)]
    public void IsSameHost_RecordedUid_OnlyAnotherUidIsAnotherMachine(string? recorded, string? current, bool expected)
    {
        Assert.Equal(expected, RouteLifecycle.IsSameHost(recorded, current));
    }

    [Fact]
    public void HoldsSlot_EveryPhase()
    {
        var holding = Enum.GetValues<SessionRoutePhase>().Where(RouteLifecycle.HoldsSlot);

        Assert.Equal([SessionRoutePhase.Bound, SessionRoutePhase.Active, SessionRoutePhase.Disconnected], holding);
    }

    [Theory]
    [InlineData(AffinityKey.User, "alice", "192.0.2.1", AffinityKey.User, "alice")]
    [InlineData(AffinityKey.User, null, "192.0.2.1", AffinityKey.SourceIP, "192.0.2.1")]
    [InlineData(AffinityKey.User, "", "192.0.2.1", AffinityKey.SourceIP, "192.0.2.1")]
    [InlineData(AffinityKey.SourceIP, "alice", "192.0.2.1", AffinityKey.SourceIP, "192.0.2.1")]
    [InlineData(AffinityKey.SourceIP, null, "::ffff:192.0.2.1", AffinityKey.SourceIP, "192.0.2.1")]
    [InlineData(AffinityKey.SourceIP, null, "2001:db8::1", AffinityKey.SourceIP, "2001:db8::1")]
    public void AffinityKeyOf_Table(AffinityKey preferred, string? user, string client, AffinityKey kind, string key) =>
        Assert.Equal((kind, key), RouteLifecycle.AffinityKeyOf(preferred, user, IPAddress.Parse(client)));

    [Fact]
    public void AffinityKeyOf_EveryApiValue_Handled() =>
        Assert.All(Enum.GetValues<AffinityKey>(), k => Assert.Equal(k, RouteLifecycle.AffinityKeyOf(k, "alice", IPAddress.Loopback).Kind));

    // Connect (count > 0) and disconnect (count 0), from every phase.
    [Theory]
    [InlineData(SessionRoutePhase.Pending, 1, SessionRoutePhase.Active)]
    [InlineData(SessionRoutePhase.Bound, 1, SessionRoutePhase.Active)]
    [InlineData(SessionRoutePhase.Active, 2, SessionRoutePhase.Active)]
    [InlineData(SessionRoutePhase.Disconnected, 1, SessionRoutePhase.Active)]
    [InlineData(SessionRoutePhase.Expired, 1, SessionRoutePhase.Active)]
    [InlineData(SessionRoutePhase.Failed, 1, SessionRoutePhase.Failed)]
    [InlineData(SessionRoutePhase.Pending, 0, SessionRoutePhase.Pending)]
    [InlineData(SessionRoutePhase.Bound, 0, SessionRoutePhase.Disconnected)]
    [InlineData(SessionRoutePhase.Active, 0, SessionRoutePhase.Disconnected)]
    [InlineData(SessionRoutePhase.Disconnected, 0, SessionRoutePhase.Disconnected)]
    [InlineData(SessionRoutePhase.Expired, 0, SessionRoutePhase.Expired)]
    [InlineData(SessionRoutePhase.Failed, 0, SessionRoutePhase.Failed)]
    public void AfterConnections_Table(SessionRoutePhase stored, int connections, SessionRoutePhase expected) =>
        Assert.Equal(expected, RouteLifecycle.AfterConnections(stored, connections));

    [Theory]
    [InlineData(SessionRoutePhase.Active, 2, SessionRoutePhase.Active)]
    [InlineData(SessionRoutePhase.Active, 0, SessionRoutePhase.Bound)]
    [InlineData(SessionRoutePhase.Disconnected, 0, SessionRoutePhase.Bound)]
    [InlineData(SessionRoutePhase.Pending, 0, SessionRoutePhase.Bound)]
    [InlineData(SessionRoutePhase.Expired, 0, SessionRoutePhase.Bound)]
    [InlineData(SessionRoutePhase.Failed, 0, SessionRoutePhase.Bound)]
    public void AfterMove_Table(SessionRoutePhase current, int connections, SessionRoutePhase expected) =>
        Assert.Equal(expected, RouteLifecycle.AfterMove(current, connections));

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void MayMove_PinnedNever(bool pinned, bool expected) => Assert.Equal(expected, RouteLifecycle.MayMove(pinned));

    [Theory]
    [InlineData(SessionRoutePhase.Bound, 0, false)]
    [InlineData(SessionRoutePhase.Active, 0, false)]
    [InlineData(SessionRoutePhase.Disconnected, 0, false)]
    [InlineData(SessionRoutePhase.Expired, 0, true)]
    [InlineData(SessionRoutePhase.Failed, 0, true)]
    [InlineData(SessionRoutePhase.Pending, 19, false)]
    [InlineData(SessionRoutePhase.Pending, 20, true)]
    public void NeedsPendingWrite_Table(SessionRoutePhase phase, int secondsSinceSeen, bool expected) =>
        Assert.Equal(expected, RouteLifecycle.NeedsPendingWrite(phase, Now.AddSeconds(-secondsSinceSeen), Now, TimeSpan.FromSeconds(20)));

    [Theory]
    [InlineData(SessionRoutePhase.Active, 0, true)]
    [InlineData(SessionRoutePhase.Active, 3, true)]
    [InlineData(SessionRoutePhase.Disconnected, 2, true)]
    [InlineData(SessionRoutePhase.Disconnected, 0, false)]
    [InlineData(SessionRoutePhase.Bound, 0, false)]
    [InlineData(SessionRoutePhase.Pending, 0, false)]
    [InlineData(SessionRoutePhase.Failed, 0, false)]
    public void AdoptOnRestart_Table(SessionRoutePhase phase, int connections, bool expected) =>
        Assert.Equal(expected, RouteLifecycle.AdoptOnRestart(phase, connections));

    // phase, has host, host in pool, connections here, idle (minutes), sole gateway → action
    [Theory]
    [InlineData(SessionRoutePhase.Bound, true, false, 0, 0, true, RouteSweep.Fail)]
    [InlineData(SessionRoutePhase.Active, true, false, 2, 0, true, RouteSweep.Fail)]
    [InlineData(SessionRoutePhase.Disconnected, true, false, 0, 0, false, RouteSweep.Fail)]
    [InlineData(SessionRoutePhase.Failed, true, false, 0, 59, true, RouteSweep.Keep)]
    [InlineData(SessionRoutePhase.Failed, true, false, 0, 60, true, RouteSweep.Delete)]
    [InlineData(SessionRoutePhase.Active, true, true, 0, 0, true, RouteSweep.Adopt)]
    [InlineData(SessionRoutePhase.Active, true, true, 0, 600, false, RouteSweep.Keep)]
    [InlineData(SessionRoutePhase.Active, true, true, 1, 600, true, RouteSweep.Keep)]
    [InlineData(SessionRoutePhase.Bound, true, true, 0, 59, true, RouteSweep.Keep)]
    [InlineData(SessionRoutePhase.Bound, true, true, 0, 60, true, RouteSweep.Expire)]
    [InlineData(SessionRoutePhase.Disconnected, true, true, 0, 60, false, RouteSweep.Expire)]
    [InlineData(SessionRoutePhase.Disconnected, true, true, 1, 600, true, RouteSweep.Keep)]
    [InlineData(SessionRoutePhase.Expired, true, true, 0, 0, true, RouteSweep.Delete)]
    [InlineData(SessionRoutePhase.Pending, false, false, 0, 0, true, RouteSweep.Keep)]
    [InlineData(SessionRoutePhase.Pending, false, false, 0, 1, true, RouteSweep.Delete)]
    public void Sweep_Table(SessionRoutePhase phase, bool hasHost, bool hostInPool, int connections, int idleMinutes, bool soleGateway, RouteSweep expected)
    {
        var input = new RouteSweepInput(phase, hasHost, hostInPool, connections, TimeSpan.FromMinutes(idleMinutes));

        Assert.Equal(expected, RouteLifecycle.Sweep(input, ResumeFor, PendingTimeout, soleGateway));
    }

    [Fact]
    public void Sweep_EveryPhase_HasARule()
    {
        // Every phase of a route idle past every window gets its own action; a phase added to the API shows up here.
        var actions = Enum.GetValues<SessionRoutePhase>()
            .Select(p => RouteLifecycle.Sweep(new RouteSweepInput(p, true, true, 0, ResumeFor * 10), ResumeFor, PendingTimeout, soleGateway: true))
            .ToList();

        Assert.Equal([RouteSweep.Delete, RouteSweep.Expire, RouteSweep.Adopt, RouteSweep.Expire, RouteSweep.Delete, RouteSweep.Delete], actions);
    }

    [Theory]
    [InlineData(0, 59, RouteSweep.Keep)]
    [InlineData(0, 60, RouteSweep.Delete)]
    [InlineData(1, 600, RouteSweep.Keep)]
    public void SweepGonePool_Table(int connections, int idleMinutes, RouteSweep expected) =>
        Assert.Equal(expected, RouteLifecycle.SweepGonePool(connections, TimeSpan.FromMinutes(idleMinutes), ResumeFor));
}
