namespace DesktopOperator.Testing.Proxies;

/// <summary>The balancing both sides of a comparison use: HAProxy's name in brackets, our strategy name after.</summary>
public enum ProxyBalancing
{
    /// <summary>HAProxy <c>balance leastconn</c>; our <c>LeastSessions</c>.</summary>
    LeastConnections,

    /// <summary>HAProxy <c>balance source</c>; our <c>SourceHash</c>.</summary>
    SourceHash,

    /// <summary>HAProxy <c>balance roundrobin</c>; our <c>RoundRobin</c>.</summary>
    RoundRobin,

    /// <summary>
    /// By RDP user: HAProxy <c>balance rdp-cookie</c> (a hash of the X.224 <c>mstshash</c> cookie); our
    /// <c>LeastSessions</c> with <c>affinity.key: User</c>. RDP only.
    /// </summary>
    RdpUser,
}
