using DesktopOperator.Controllers.Pools;

namespace DesktopOperator.Controllers.Tests.Pools;

public sealed class ScalePlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static ScaleSettings Settings(int perHost = 1, int min = 1, int max = 10, int buffer = 1, int delayMinutes = 5) => new()
    {
        SessionsPerHost = perHost, MinHosts = min, MaxHosts = max, BufferSessions = buffer, ScaleDownDelay = TimeSpan.FromMinutes(delayMinutes),
    };

    private static HostView Host(string name, bool ready = true, int routes = 0, string? drain = null, bool outdated = false, TimeSpan? idleFor = null) => new()
    {
        Name = name, Ready = ready, BoundRoutes = routes, LabelledBusy = routes > 0, DrainReason = drain, Outdated = outdated,
        CreatedAt = Now - TimeSpan.FromHours(1), IdleSince = routes > 0 ? null : Now - (idleFor ?? TimeSpan.FromHours(1)),
        DrainingSince = drain is null ? null : Now - TimeSpan.FromMinutes(1),
    };

    [Theory]
    [InlineData(0, 1, 1, 0, 10, 1)]   // nothing yet: the buffer asks for one host
    [InlineData(0, 0, 1, 0, 10, 0)]   // no buffer, minHosts 0: nothing
    [InlineData(5, 1, 1, 1, 10, 6)]
    [InlineData(5, 2, 4, 1, 10, 2)]   // ceil(7 / 4)
    [InlineData(8, 0, 4, 1, 10, 2)]
    [InlineData(0, 0, 4, 3, 10, 3)]   // minHosts wins
    [InlineData(50, 1, 1, 1, 10, 10)] // maxHosts wins
    public void DesiredHosts_Formula_ClampsCeilingOfSessionsPlusBuffer(int sessions, int buffer, int perHost, int min, int max, int expected)
    {
        Assert.Equal(expected, ScalePlanner.DesiredHosts(Settings(perHost, min, max, buffer), sessions, out _));
    }

    [Fact]
    public void Plan_NoHosts_CreatesDesiredAtOnce()
    {
        var plan = ScalePlanner.Plan(Settings(buffer: 3, min: 0), [], 2, Now);

        Assert.Equal(5, plan.Desired);
        Assert.Equal(5, plan.Create);
        Assert.Empty(plan.Drain);
    }

    [Fact]
    public void Plan_SurplusEmptyHostBeforeDelay_KeptAndRequeuedForTheRest()
    {
        var plan = ScalePlanner.Plan(Settings(), [Host("a", routes: 1), Host("b"), Host("c", idleFor: TimeSpan.FromMinutes(2))], 1, Now);

        Assert.Equal(2, plan.Desired);
        var drained = Assert.Single(plan.Drain);
        Assert.Equal(new HostAction("b", DrainReason.ScaleDown), drained);
        Assert.Equal(TimeSpan.FromMinutes(3), plan.RequeueAfter);
    }

    [Fact]
    public void Plan_HostJustLostItsLastRoute_DelayStartsNowNotAtCreation()
    {
        var justIdle = Host("a") with { LabelledBusy = true, IdleSince = null };

        var plan = ScalePlanner.Plan(Settings(min: 0, buffer: 0), [justIdle], 0, Now);

        Assert.Empty(plan.Drain);
        Assert.Equal(["a"], plan.MarkIdle);
        Assert.Equal(TimeSpan.FromMinutes(5), plan.RequeueAfter);
    }

    [Fact]
    public void Plan_SurplusOnlyBusyHosts_NothingDrained()
    {
        var plan = ScalePlanner.Plan(Settings(buffer: 0, min: 0), [Host("a", routes: 1), Host("b", routes: 1)], 0, Now);

        Assert.Equal(0, plan.Desired);
        Assert.Empty(plan.Drain);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void Plan_ScaleDown_PrefersUnreadyHosts()
    {
        var plan = ScalePlanner.Plan(Settings(min: 2), [Host("a"), Host("b", ready: false), Host("c")], 0, Now);

        Assert.Equal([new HostAction("b", DrainReason.ScaleDown)], plan.Drain);
    }

    [Fact]
    public void Plan_DrainingHost_DeletedOnlyWhenEmpty()
    {
        var plan = ScalePlanner.Plan(Settings(), [Host("a"), Host("b", drain: DrainReason.ScaleDown), Host("c", routes: 1, drain: DrainReason.Outdated)], 0, Now);

        Assert.Equal([new HostAction("b", DeleteReason.Drained)], plan.Delete);
    }

    [Fact]
    public void Plan_SessionsGrowWhileHostDrainsForScaleDown_TakenBackInsteadOfCreating()
    {
        var plan = ScalePlanner.Plan(Settings(), [Host("a", routes: 1), Host("b", routes: 1, drain: DrainReason.ScaleDown)], 2, Now);

        Assert.Equal(3, plan.Desired);
        Assert.Equal(["b"], plan.Undrain);
        Assert.Equal(1, plan.Create);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void Plan_FailedHost_DeletedAndReplaced()
    {
        var failed = Host("a") with { Failed = true, Ready = false };

        var plan = ScalePlanner.Plan(Settings(), [failed], 0, Now);

        Assert.Equal([new HostAction("a", DeleteReason.Failed)], plan.Delete);
        Assert.Equal(1, plan.Create);
    }

    [Fact]
    public void Plan_HostOnCordonedNode_DrainsAndIsReplaced()
    {
        var plan = ScalePlanner.Plan(Settings(), [Host("a", routes: 1) with { NodeCordoned = true }, Host("b")], 1, Now);

        Assert.Equal([new HostAction("a", DrainReason.NodeCordoned)], plan.Drain);
        Assert.Equal(1, plan.Create);
    }

    [Fact]
    public void Plan_TemplateChanged_SurgeBoundedAndOutdatedDrainOnlyAsReadyReplacementsArrive()
    {
        var settings = Settings(min: 3) with { MaxSurge = 1 };
        HostView[] old = [Host("a", outdated: true, routes: 1), Host("b", outdated: true), Host("c", outdated: true)];

        var first = ScalePlanner.Plan(settings, old, 1, Now);
        Assert.Equal(1, first.Create);
        Assert.Empty(first.Drain);

        var second = ScalePlanner.Plan(settings, [.. old, Host("n1")], 1, Now);
        Assert.Equal([new HostAction("b", DrainReason.Outdated)], second.Drain);
        Assert.Equal(0, second.Create);
    }

    [Fact]
    public void Plan_MaxDrainTime_WarnsThenDeletesABusyDrainingHost()
    {
        var settings = Settings() with { MaxDrainTime = TimeSpan.FromMinutes(10) };
        var draining = Host("a", routes: 1, drain: DrainReason.Outdated);

        var before = ScalePlanner.Plan(settings, [draining, Host("b")], 1, Now);
        var after = ScalePlanner.Plan(settings, [draining, Host("b")], 1, Now + TimeSpan.FromMinutes(9));

        Assert.Empty(before.Delete);
        Assert.Single(before.DeadlineWarnings);
        Assert.Equal(TimeSpan.FromMinutes(9), before.RequeueAfter);
        Assert.Equal([new HostAction("a", DeleteReason.DrainTimeExceeded)], after.Delete);
    }

    [Fact]
    public void Plan_MoreSessionsThanMaxHostsHold_ScalingLimited()
    {
        var plan = ScalePlanner.Plan(Settings(max: 2), [Host("a", routes: 1), Host("b", routes: 1)], 2, Now);

        Assert.True(plan.ScalingLimited);
        Assert.Equal(2, plan.Desired);
        Assert.Equal(0, plan.Create);
    }

    [Fact]
    public void Plan_BusyLabel_FollowsBoundRoutes()
    {
        var plan = ScalePlanner.Plan(Settings(min: 2), [Host("a") with { BoundRoutes = 1 }, Host("b") with { LabelledBusy = true }], 1, Now);

        Assert.Equal(["a"], plan.MarkBusy);
        Assert.Equal(["b"], plan.MarkIdle);
    }
}
