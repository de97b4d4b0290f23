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
}
