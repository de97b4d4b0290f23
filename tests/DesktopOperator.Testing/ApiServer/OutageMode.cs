namespace DesktopOperator.Testing.ApiServer;

/// <summary>How the server behaves during an injected outage.</summary>
public enum OutageMode
{
    /// <summary>Every request gets 503 ServiceUnavailable.</summary>
    ServiceUnavailable,

    /// <summary>Every connection is aborted without a response (closest to "connection refused" while keeping the port).</summary>
    RefuseConnections,
}
