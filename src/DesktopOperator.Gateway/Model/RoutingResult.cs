namespace DesktopOperator.Gateway.Model;

/// <summary>What the routing engine decided; also the <c>result</c> label of the routing-decision metric.</summary>
internal enum RoutingResult
{
    /// <summary>A host was chosen (an existing route's host, or a new route).</summary>
    Routed,

    /// <summary>The pool is full and its <c>whenFull</c> is <c>Queue</c>: wait for a free slot.</summary>
    Queued,

    /// <summary>The pool is full and its <c>whenFull</c> is <c>Reject</c>, or the user has too many sessions.</summary>
    RejectedFull,

    /// <summary>No host of the pool is healthy, ready and not draining.</summary>
    RejectedNoHealthyHost,

    /// <summary>The pool's access lists do not admit this user.</summary>
    RejectedNotAllowed,

    /// <summary>No such pool or protocol (configuration changed under a live listener).</summary>
    RejectedUnknownPool,
}
