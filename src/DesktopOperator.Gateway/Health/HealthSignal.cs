namespace DesktopOperator.Gateway.Health;

/// <summary>What the health policy learns about a host: an active check's verdict or a proxy's connect outcome.</summary>
internal enum HealthSignal
{
    CheckPassed,
    CheckFailed,
    ConnectFailed,
    ConnectSucceeded,
}
