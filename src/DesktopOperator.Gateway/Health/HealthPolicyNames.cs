namespace DesktopOperator.Gateway.Health;

internal static class HealthPolicyNames
{
    public const string ConsecutiveFailures = "ConsecutiveFailures";
}
