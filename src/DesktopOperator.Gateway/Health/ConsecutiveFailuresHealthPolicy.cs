namespace DesktopOperator.Gateway.Health;

/// <summary>
/// HAProxy's rise/fall rule as a pure function of (state, signal):
/// <list type="bullet">
/// <item>A host starts <see cref="HostHealth.Unknown"/> and routable, as HAProxy starts servers up: its first
/// passing check makes it <see cref="HostHealth.Healthy"/>, <c>fall</c> consecutive failures make it
/// <see cref="HostHealth.Unhealthy"/>.</item>
/// <item>Healthy or Unknown: <c>fall</c> consecutive failures take it out. Failed checks and failed proxy connects
/// both count; any passing check or successful connect ends the streak.</item>
/// <item>Unhealthy: only <c>rise</c> consecutive passing checks bring it back. Proxy connects do not, since a
/// host out of rotation gets too few of them to judge (HAProxy's <c>observe layer4</c> works the same way).</item>
/// </list>
/// </summary>
internal static class ConsecutiveFailuresHealthPolicy
{
    public const string Name = HealthPolicyNames.ConsecutiveFailures;

    public static HealthState Next(HealthState state, HealthSignal signal, int rise, int fall)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rise, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fall, 1);

        switch (signal)
        {
            case HealthSignal.CheckFailed or HealthSignal.ConnectFailed:
            {
                var failures = Math.Min(state.Failures + 1, fall);
                var health = state.Health != HostHealth.Unhealthy && failures >= fall ? HostHealth.Unhealthy : state.Health;
                return new(health, 0, failures);
            }

            case HealthSignal.CheckPassed:
            {
                if (state.Health != HostHealth.Unhealthy)
                {
                    return new(HostHealth.Healthy, 0, 0);
                }

                var passes = Math.Min(state.Passes + 1, rise);
                return passes >= rise ? new(HostHealth.Healthy, 0, 0) : new(HostHealth.Unhealthy, passes, 0);
            }

            case HealthSignal.ConnectSucceeded:
                return state.Health == HostHealth.Unhealthy ? state : state with { Failures = 0 };

            default:
                throw new ArgumentOutOfRangeException(nameof(signal), signal, "unknown health signal");
        }
    }
}
