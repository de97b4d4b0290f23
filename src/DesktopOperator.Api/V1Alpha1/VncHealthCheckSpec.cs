using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>
/// What a Protocol health check of a VNC port needs to log in. A VNC server counts every connection that ends before
/// authentication as a failed login of its source (TigerVNC blacklists it after 5), and every check comes from the
/// gateway's address, which all users share: so the check reads the RFB handshake only when it can complete it.
/// </summary>
[CelRule("self.security != 'VncAuth' || has(self.passwordFile)", "spec.healthCheck.vnc.passwordFile: required with security VncAuth")]
[CelRule("self.security != 'None' || !has(self.passwordFile)", "spec.healthCheck.vnc.passwordFile: allowed with security VncAuth only")]
public sealed class VncHealthCheckSpec
{
    /// <summary>None or VncAuth: the security the servers offer and the check completes.</summary>
    public VncSecurity Security { get; set; } = VncSecurity.VncAuth;

    /// <summary>
    /// The password file (<c>vncpasswd -f</c> format, as Xvnc's <c>-rfbauth</c> reads) on the gateway's file system,
    /// read before each check. In a cluster, mount a Secret into the gateway pod and name the file here.
    /// </summary>
    [Length(1, 4096)]
    [Pattern("^/", "an absolute path")]
    public string? PasswordFile { get; set; }
}
