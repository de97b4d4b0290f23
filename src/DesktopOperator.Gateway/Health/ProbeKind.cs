namespace DesktopOperator.Gateway.Health;

/// <summary>What an active check proves about a host: the probe run, derived from the pool's <c>spec.healthCheck.kind</c> and the checked protocol's kind.</summary>
internal enum ProbeKind
{
    /// <summary>A TCP connect succeeds.</summary>
    Tcp,

    /// <summary><c>GET path</c> answers 2xx or 3xx.</summary>
    Http,

    /// <summary>The server sends an RFB 3.x protocol version banner.</summary>
    Vnc,

    /// <summary>The server sends an <c>SSH-2.0-</c> (or <c>SSH-1.99-</c>) identification line.</summary>
    Ssh,

    /// <summary>An X.224 Connection Request in TPKT is answered by a Connection Confirm.</summary>
    Rdp,
}
