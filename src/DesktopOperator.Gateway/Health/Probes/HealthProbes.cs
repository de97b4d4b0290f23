namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>The probe for a pool's settings. Probes are stateless, so the fixed ones are shared.</summary>
internal static class HealthProbes
{
    private static readonly TcpConnectProbe Tcp = new();
    private static readonly VncBannerProbe Vnc = new();
    private static readonly SshBannerProbe Ssh = new();
    private static readonly RdpX224Probe Rdp = new();

    public static IHealthProbe Create(HealthCheckSettings settings) => settings.Kind switch
    {
        HealthCheckKind.Tcp => Tcp,
        HealthCheckKind.Http => new HttpGetProbe(settings.HttpPath),
        HealthCheckKind.Vnc => Vnc,
        HealthCheckKind.Ssh => Ssh,
        HealthCheckKind.Rdp => Rdp,
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "unknown health check kind"),
    };
}
