namespace DesktopOperator.Gateway.Tcp;

/// <summary>How the proxy treats the first bytes of a connection.</summary>
internal enum TcpProtocolKind
{
    /// <summary>Plain TCP: no sniffing, affinity by client address.</summary>
    Tcp,

    /// <summary>The client speaks first: read the X.224 Connection Request for the user cookie.</summary>
    Rdp,

    /// <summary>The server speaks first (RFB banner): no sniffing, affinity by client address.</summary>
    Vnc,

    /// <summary>The server speaks first (SSH banner): no sniffing, affinity by client address.</summary>
    Ssh,
}
