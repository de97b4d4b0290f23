namespace DesktopOperator.Api.V1Alpha1;

/// <summary>The security a pool's VNC servers ask for, which the gateway's VNC health check completes.</summary>
public enum VncSecurity
{
    /// <summary>RFB security type None (<c>Xvnc -SecurityTypes None</c>).</summary>
    None,

    /// <summary>VNC Authentication with a password (TigerVNC's default, <c>Xvnc -rfbauth FILE</c>).</summary>
    VncAuth,
}
