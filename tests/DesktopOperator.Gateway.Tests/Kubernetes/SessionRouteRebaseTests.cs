using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Tests.Kubernetes;

public sealed class SessionRouteRebaseTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);

    private static readonly RouteRecord Base =
        new("ns/desk", "alice", AffinityKey.User, "rdp", "desk-h1", false, SessionRoutePhase.Active, T0, T0, 1) { Version = "10" };

    [Theory]
    [InlineData(SessionRoutePhase.Failed)]
    [InlineData(SessionRoutePhase.Expired)]
    [InlineData(SessionRoutePhase.Pending)]
    public void Decide_ServerRouteNoLongerHoldsASlot_ServerStands(SessionRoutePhase serverPhase)
    {
        var server = Base with { Phase = serverPhase, Version = "11" };

        var (route, owed) = SessionRouteRebase.Decide(Base, Base with { Phase = SessionRoutePhase.Disconnected, ActiveConnections = 0 }, server);

        Assert.Equal((server, false), (route, owed));
    }

    [Fact]
    public void Decide_AnotherWriterMovedOrPinnedTheRoute_ServerStands()
    {
        var moved = Base with { Host = "desk-h2", Phase = SessionRoutePhase.Bound, Version = "11" };
        var pinned = Base with { Pinned = true, Version = "11" };
        var local = Base with { Phase = SessionRoutePhase.Disconnected, ActiveConnections = 0 };

        Assert.Equal((moved, false), SessionRouteRebase.Decide(Base, local, moved));
        Assert.Equal((pinned, false), SessionRouteRebase.Decide(Base, local, pinned));
    }

    [Fact]
    public void Decide_AnotherWriterChangedOnlyStatus_OurChangeGoesOnTopAndIsRedecided()
    {
        var server = Base with { ActiveConnections = 3, LastSeen = T0.AddSeconds(1), Version = "11" };
        var local = Base with { Phase = SessionRoutePhase.Disconnected, ActiveConnections = 0, LastSeen = T0.AddSeconds(5) };

        var (route, owed) = SessionRouteRebase.Decide(Base, local, server);

        Assert.True(owed);
        Assert.Equal(server with { Phase = SessionRoutePhase.Disconnected, ActiveConnections = 0, LastSeen = T0.AddSeconds(5) }, route);
    }

    [Fact]
    public void Decide_LocalCreateMeetsAnotherReplicasRouteOnAnotherHost_WinnerStands()
    {
        var winner = Base with { Host = "desk-h2", Phase = SessionRoutePhase.Bound, ActiveConnections = 0, Version = "11" };

        Assert.Equal((winner, false), SessionRouteRebase.Decide(null, Base, winner));
    }

    [Fact]
    public void Decide_LocalCreateMeetsAnotherReplicasRouteOnTheSameHost_KeepsOurSessionStatus()
    {
        var winner = Base with { Phase = SessionRoutePhase.Bound, ActiveConnections = 0, LastSeen = T0, Version = "11" };
        var local = Base with { LastSeen = T0.AddSeconds(2) };

        var (route, owed) = SessionRouteRebase.Decide(null, local, winner);

        Assert.True(owed);
        Assert.Equal(winner with { Phase = SessionRoutePhase.Active, ActiveConnections = 1, LastSeen = T0.AddSeconds(2) }, route);
    }

    [Theory]
    [InlineData("desk-h1", false, SessionRoutePhase.Active, true)]
    [InlineData("desk-h1", false, SessionRoutePhase.Disconnected, true)]
    [InlineData("desk-h1", false, SessionRoutePhase.Bound, true)]
    [InlineData("desk-h2", false, SessionRoutePhase.Bound, false)]
    [InlineData("desk-h1", true, SessionRoutePhase.Active, false)]
    [InlineData("desk-h1", false, SessionRoutePhase.Failed, false)]
    [InlineData("desk-h1", false, SessionRoutePhase.Expired, false)]
    public void SameDecision_CurrentRouteAgainstAMoveToDeskH1_OnlyItsHostPinAndASlotCarryIt(string host, bool pinned, SessionRoutePhase phase, bool expected)
    {
        var decided = Base with { Phase = SessionRoutePhase.Bound, ActiveConnections = 0, Version = "10~1" };

        Assert.Equal(expected, SessionRouteRebase.SameDecision(Base with { Host = host, Pinned = pinned, Phase = phase, Version = "12" }, decided));
    }

    [Fact]
    public void SameDecision_DecisionThatHoldsNoSlot_OnlyThatPhaseCarriesIt()
    {
        var failed = Base with { Phase = SessionRoutePhase.Failed };

        Assert.True(SessionRouteRebase.SameDecision(failed with { Version = "12" }, failed));
        Assert.False(SessionRouteRebase.SameDecision(failed with { Phase = SessionRoutePhase.Expired }, failed));
        Assert.False(SessionRouteRebase.SameDecision(Base, failed));
    }
}
