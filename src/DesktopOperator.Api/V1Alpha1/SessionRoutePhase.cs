namespace DesktopOperator.Api.V1Alpha1;

/// <summary>The life of a session route: Pending → Bound → Active ⇄ Disconnected → Expired, or Failed.</summary>
public enum SessionRoutePhase
{
    /// <summary>Queued: the pool was full when the user came.</summary>
    Pending,

    /// <summary>A host is chosen; no connection has been made through it yet.</summary>
    Bound,

    /// <summary>At least one connection is open.</summary>
    Active,

    /// <summary>No connection is open; the host is kept for the pool's affinity.resumeFor.</summary>
    Disconnected,

    /// <summary>resumeFor ran out; the route no longer holds its host.</summary>
    Expired,

    /// <summary>The route's host is gone, or the route is invalid.</summary>
    Failed,
}
