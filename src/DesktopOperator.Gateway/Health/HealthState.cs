namespace DesktopOperator.Gateway.Health;

/// <summary>A host's health and the current streak of passes or failures behind it.</summary>
internal readonly record struct HealthState(HostHealth Health, int Passes, int Failures)
{
    public static HealthState Initial { get; } = new(HostHealth.Unknown, 0, 0);
}
