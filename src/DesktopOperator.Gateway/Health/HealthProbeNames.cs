namespace DesktopOperator.Gateway.Health;

internal static class HealthProbeNames
{
    public const string Tcp = "tcp";
    public const string Http = "http";
    public const string Vnc = "vnc";
    public const string Ssh = "ssh";
    public const string Rdp = "rdp";
}
