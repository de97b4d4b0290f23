namespace DesktopOperator.Gateway.Sessions;

/// <summary>The life of a session route (SessionRoute <c>status.phase</c>).</summary>
internal enum RoutePhase
{
    /// <summary>Queued: the pool was full when the user came.</summary>
    Pending,

    /// <summary>A host is chosen; no connection has been made through it yet.</summary>
    Bound,

    /// <summary>At least one connection is open.</summary>
    Active,

    /// <summary>No connection is open; the host is kept for the pool's <c>resumeFor</c>.</summary>
    Disconnected,

    /// <summary><c>resumeFor</c> ran out; the route no longer holds its host.</summary>
    Expired,

    /// <summary>The route's host is gone.</summary>
    Failed,
}
