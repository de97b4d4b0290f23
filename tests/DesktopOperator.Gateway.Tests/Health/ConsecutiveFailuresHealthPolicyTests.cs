using DesktopOperator.Gateway.Health;

namespace DesktopOperator.Gateway.Tests.Health;

public sealed class ConsecutiveFailuresHealthPolicyTests
{
    private const int Rise = 2;
    private const int Fall = 3;

    [Fact]
    public void Initial_IsUnknown() => Assert.Equal(HostHealth.Unknown, HealthState.Initial.Health);

    [Fact]
    public void Next_UnknownAndOnePass_Healthy() =>
        Assert.Equal(HostHealth.Healthy, Run(HealthState.Initial, HealthSignal.CheckPassed).Health);

    [Fact]
    public void Next_UnknownAndFewerThanFallFailures_StaysUnknown() =>
        Assert.Equal(HostHealth.Unknown, Run(HealthState.Initial, HealthSignal.CheckFailed, HealthSignal.CheckFailed).Health);

    [Fact]
    public void Next_UnknownAndFallFailures_Unhealthy() =>
        Assert.Equal(HostHealth.Unhealthy, Run(HealthState.Initial, HealthSignal.CheckFailed, HealthSignal.CheckFailed, HealthSignal.CheckFailed).Health);

    [Fact]
    public void Next_HealthyAndFallFailures_UnhealthyOnTheLastOne()
    {
        var state = Run(HealthState.Initial, HealthSignal.CheckPassed);
        var healthSeen = new List<HostHealth>();
        for (var i = 0; i < Fall; i++)
        {
            state = ConsecutiveFailuresHealthPolicy.Next(state, HealthSignal.CheckFailed, Rise, Fall);
            healthSeen.Add(state.Health);
        }

        Assert.Equal([HostHealth.Healthy, HostHealth.Healthy, HostHealth.Unhealthy], healthSeen);
    }

    [Fact]
    public void Next_FailuresInterruptedByPass_StreakStartsOver()
    {
        var state = Run(HealthState.Initial, HealthSignal.CheckPassed, HealthSignal.CheckFailed, HealthSignal.CheckFailed, HealthSignal.CheckPassed, HealthSignal.CheckFailed, HealthSignal.CheckFailed);

        Assert.Equal(new HealthState(HostHealth.Healthy, 0, 2), state);
    }

    [Fact]
    public void Next_UnhealthyAndRisePasses_HealthyOnTheLastOne()
    {
        var state = Unhealthy();
        state = ConsecutiveFailuresHealthPolicy.Next(state, HealthSignal.CheckPassed, Rise, Fall);
        Assert.Equal(HostHealth.Unhealthy, state.Health);

        state = ConsecutiveFailuresHealthPolicy.Next(state, HealthSignal.CheckPassed, Rise, Fall);
        Assert.Equal(new HealthState(HostHealth.Healthy, 0, 0), state);
    }

    [Fact]
    public void Next_UnhealthyPassesInterruptedByFailure_RiseStartsOver()
    {
        var state = Run(Unhealthy(), HealthSignal.CheckPassed, HealthSignal.CheckFailed, HealthSignal.CheckPassed);

        Assert.Equal(HostHealth.Unhealthy, state.Health);
        Assert.Equal(HostHealth.Healthy, Run(state, HealthSignal.CheckPassed).Health);
    }

    [Fact]
    public void Next_FallPassiveConnectFailures_UnhealthyAtOnce()
    {
        var state = Run(HealthState.Initial, HealthSignal.CheckPassed, HealthSignal.ConnectFailed, HealthSignal.ConnectFailed);
        Assert.Equal(HostHealth.Healthy, state.Health);

        Assert.Equal(HostHealth.Unhealthy, Run(state, HealthSignal.ConnectFailed).Health);
    }

    [Fact]
    public void Next_PassiveAndActiveFailuresMixed_CountTogether() =>
        Assert.Equal(HostHealth.Unhealthy, Run(HealthState.Initial, HealthSignal.CheckPassed, HealthSignal.ConnectFailed, HealthSignal.CheckFailed, HealthSignal.ConnectFailed).Health);

    [Fact]
    public void Next_ConnectSucceededWhileHealthy_EndsFailureStreak()
    {
        var state = Run(HealthState.Initial, HealthSignal.CheckPassed, HealthSignal.ConnectFailed, HealthSignal.ConnectFailed, HealthSignal.ConnectSucceeded, HealthSignal.ConnectFailed);

        Assert.Equal(new HealthState(HostHealth.Healthy, 0, 1), state);
    }

    [Fact]
    public void Next_ConnectSucceededWhileUnhealthy_DoesNotCountTowardRise()
    {
        var state = Run(Unhealthy(), HealthSignal.ConnectSucceeded, HealthSignal.ConnectSucceeded, HealthSignal.ConnectSucceeded);

        Assert.Equal(HostHealth.Unhealthy, state.Health);
        Assert.Equal(0, state.Passes);
    }

    [Fact]
    public void Next_PassiveFailuresThenActivePasses_BackAfterRise()
    {
        var state = Run(HealthState.Initial, HealthSignal.CheckPassed, HealthSignal.ConnectFailed, HealthSignal.ConnectFailed, HealthSignal.ConnectFailed);
        Assert.Equal(HostHealth.Unhealthy, state.Health);

        Assert.Equal(HostHealth.Unhealthy, Run(state, HealthSignal.CheckPassed).Health);
        Assert.Equal(HostHealth.Healthy, Run(state, HealthSignal.CheckPassed, HealthSignal.CheckPassed).Health);
    }

    [Fact]
    public void Next_ManyFailures_CounterStaysBounded() =>
        Assert.Equal(Fall, Run(HealthState.Initial, Enumerable.Repeat(HealthSignal.CheckFailed, 1000).ToArray()).Failures);

    [Fact]
    public void Next_RiseAndFallOfOne_FlipOnEverySignal()
    {
        var down = ConsecutiveFailuresHealthPolicy.Next(HealthState.Initial, HealthSignal.CheckFailed, 1, 1);
        Assert.Equal(HostHealth.Unhealthy, down.Health);
        Assert.Equal(HostHealth.Healthy, ConsecutiveFailuresHealthPolicy.Next(down, HealthSignal.CheckPassed, 1, 1).Health);
    }

    [Fact]
    public void Next_InvalidRiseOrFall_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsecutiveFailuresHealthPolicy.Next(HealthState.Initial, HealthSignal.CheckPassed, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsecutiveFailuresHealthPolicy.Next(HealthState.Initial, HealthSignal.CheckPassed, 1, 0));
    }

    [Fact]
    public void Name_ComesFromConstants() => Assert.Equal(HealthPolicyNames.ConsecutiveFailures, ConsecutiveFailuresHealthPolicy.Name);

    private static HealthState Unhealthy() =>
        Run(HealthState.Initial, HealthSignal.CheckFailed, HealthSignal.CheckFailed, HealthSignal.CheckFailed);

    private static HealthState Run(HealthState state, params HealthSignal[] signals)
    {
        foreach (var signal in signals)
        {
            state = ConsecutiveFailuresHealthPolicy.Next(state, signal, Rise, Fall);
        }

        return state;
    }
}
