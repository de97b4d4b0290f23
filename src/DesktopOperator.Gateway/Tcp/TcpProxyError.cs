namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// How a proxied connection ended (like YARP's <c>ForwarderError</c>): each connection has exactly one, logged once
/// and counted once as the <c>result</c> label of <c>gateway_connections_total</c>.
/// </summary>
internal enum TcpProxyError
{
    /// <summary>Both sides finished normally (FIN), or the host closed and the rest was delivered.</summary>
    None,

    /// <summary>The RDP client did not send a complete Connection Request within the handshake timeout.</summary>
    HandshakeTimeout,

    /// <summary>The RDP client sent something that is not a Connection Request, too much of it, or closed early.</summary>
    HandshakeMalformed,

    /// <summary>The router rejected the connection (full, no healthy host, not allowed, unknown pool).</summary>
    Rejected,

    /// <summary>The pool stayed full for the whole queue timeout.</summary>
    QueueTimeout,

    /// <summary>The client left (reset, or a FIN where its protocol never half-closes first) while queued.</summary>
    QueueAbandoned,

    /// <summary>The pool's connection limit on this gateway was reached.</summary>
    PoolLimit,

    /// <summary>Every host the router offered was at its connection limit on this gateway.</summary>
    HostLimit,

    /// <summary>The router failed (threw) while deciding.</summary>
    RoutingFailed,

    /// <summary>No connect to a host succeeded within the allowed attempts.</summary>
    UpstreamConnect,

    /// <summary>
    /// The gateway had no file descriptor left for the host's socket (EMFILE/ENFILE): its own fault, so the host is
    /// not reported to passive health and no other host is tried; the client is closed.
    /// </summary>
    GatewayOutOfDescriptors,

    /// <summary>Reading from the client failed (reset, abort).</summary>
    ClientRead,

    /// <summary>Writing to the client failed (the client is gone).</summary>
    ClientWrite,

    /// <summary>Reading from the host failed (reset: the host died mid-stream).</summary>
    UpstreamRead,

    /// <summary>Writing to the host failed.</summary>
    UpstreamWrite,

    /// <summary>Nothing moved in either direction for the idle timeout.</summary>
    IdleTimeout,

    /// <summary>
    /// The gateway was at its connection cap (<see cref="TcpProxyOptions.MaxConnections"/>): accepted and reset at once,
    /// before any routing.
    /// </summary>
    GatewayFull,

    /// <summary>The client address is locked out after failed VNC logins (closed before any host was contacted).</summary>
    ClientLockedOut,

    /// <summary>The gateway shut down (after the drain time) or the listener was removed.</summary>
    Canceled,
}
