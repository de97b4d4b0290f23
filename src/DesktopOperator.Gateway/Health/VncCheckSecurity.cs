namespace DesktopOperator.Gateway.Health;

/// <summary>
/// The security a pool declares for its VNC servers (<c>spec.healthCheck.vnc.security</c>), which the protocol-level
/// VNC check completes. Without it the check cannot finish the handshake, and a VNC server counts every connection
/// that ends before authentication as a failed login of the gateway's address.
/// </summary>
internal enum VncCheckSecurity
{
    /// <summary>Security type None: the server asks for nothing.</summary>
    None,

    /// <summary>VNC Authentication with the password of <see cref="HealthCheckSettings.VncPasswordFile"/>.</summary>
    VncAuth,
}
