namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Bounds of the TCP proxy. A zero (or infinite) timeout disables it; a zero limit means no limit.
/// </summary>
internal sealed record TcpProxyOptions
{
    /// <summary>How long an RDP client may take to send its Connection Request.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest Connection Request accepted (the TPKT length).</summary>
    public int MaxHandshakeBytes { get; init; } = Rdp.RdpConnectionRequestParser.DefaultMaxBytes;

    /// <summary>Per connect attempt to a host.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Connect attempts (each to a host not tried before) before the client is closed.</summary>
    public int MaxConnectAttempts { get; init; } = 3;

    /// <summary>Close a proxied connection after this long without a byte in either direction.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How long a connection waits in the queue of a full pool before it is closed.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>On stop, how long live connections may go on before they are canceled.</summary>
    public TimeSpan DrainTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Live connections per pool on this gateway (all its listeners together).</summary>
    public int MaxConnectionsPerPool { get; init; }

    /// <summary>Live connections per host on this gateway; a host at its limit is treated as full.</summary>
    public int MaxConnectionsPerHost { get; init; }

    /// <summary>
    /// Live connections on this gateway (all pools): above it a new client is reset at once. 0 = derived from the
    /// open-file limit (<see cref="GatewayConnectionCap.DefaultFor"/>).
    /// </summary>
    public int MaxConnections { get; init; }

    /// <summary>
    /// Threads that relay established connections on epoll sets of their own (<see cref="Relay.RelayLoops"/>, Linux);
    /// 0 = relay on the .NET socket engine (<see cref="TcpPump"/>). The gateway command sets it from <c>--io-threads</c>.
    /// </summary>
    public int RelayThreads { get; init; }
}
