namespace DesktopOperator.Api.V1Alpha1;

/// <summary>How a host is probed.</summary>
public enum HealthCheckKind
{
    /// <summary>A TCP connect to the protocol's port.</summary>
    Tcp,

    /// <summary>An HTTP GET of <c>path</c> on the protocol's port; any 2xx or 3xx status passes.</summary>
    Http,

    /// <summary>
    /// The protocol's own greeting: the RFB banner for Vnc, the SSH banner for Ssh, an X.224 Connection Confirm for
    /// Rdp, an HTTP GET for Http, a TCP connect for Tcp.
    /// </summary>
    Protocol,
}
