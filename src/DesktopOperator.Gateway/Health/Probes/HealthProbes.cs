namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>The probe for a pool's settings. Probes are stateless, so the fixed ones are shared.</summary>
internal static class HealthProbes
{
    private static readonly TcpConnectProbe Tcp = new();
    private static readonly SshBannerProbe Ssh = new();
    private static readonly RdpX224Probe Rdp = new();

    public static IHealthProbe Create(HealthCheckSettings settings) => settings.Kind switch
    {
        ProbeKind.Tcp => Tcp,
        ProbeKind.Http => new HttpGetProbe(settings.HttpPath),
        // Without a declared security a VNC check would hang up before authentication: Validate rejects that.
        ProbeKind.Vnc => new VncBannerProbe(settings.VncSecurity ?? VncCheckSecurity.None, settings.VncPasswordFile),
        ProbeKind.Ssh => Ssh,
        ProbeKind.Rdp => Rdp,
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "unknown health check kind"),
    };
}
