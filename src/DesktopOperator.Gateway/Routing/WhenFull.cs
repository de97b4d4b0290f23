namespace DesktopOperator.Gateway.Routing;

/// <summary>What happens to a new session when every usable host is at capacity (DesktopPool <c>spec.sessions.whenFull</c>).</summary>
internal enum WhenFull
{
    /// <summary>The connection waits for a free slot (<see cref="RoutingResult.Queued"/>).</summary>
    Queue,

    /// <summary>The connection is refused (<see cref="RoutingResult.RejectedFull"/>).</summary>
    Reject,
}
