namespace DesktopOperator.Gateway.Health;

internal enum HostHealth
{
    /// <summary>No check has concluded yet; routing treats it as usable (like HAProxy's initial state).</summary>
    Unknown,
    Healthy,
    Unhealthy,
}
