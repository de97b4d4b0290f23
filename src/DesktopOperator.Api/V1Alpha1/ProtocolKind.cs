namespace DesktopOperator.Api.V1Alpha1;

/// <summary>How the gateway handles a protocol: the TCP kinds are proxied as byte streams, Http through YARP.</summary>
public enum ProtocolKind
{
    /// <summary>Remote Desktop Protocol; the user comes from the X.224 <c>mstshash</c> cookie.</summary>
    Rdp,

    /// <summary>RFB (VNC); carries no user, so affinity falls back to the source address.</summary>
    Vnc,

    /// <summary>SSH, including x2go; the user is encrypted, so affinity falls back to the source address.</summary>
    Ssh,

    /// <summary>HTTP and WebSocket desktops (noVNC, Guacamole, Kasm); the user comes from a header or cookie.</summary>
    Http,

    /// <summary>Any other TCP protocol, proxied by source address.</summary>
    Tcp,
}
