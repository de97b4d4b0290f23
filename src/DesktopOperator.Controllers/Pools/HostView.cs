namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// What the scale planner knows of one host (pod): read from the cache by the reconciler, free of Kubernetes types so
/// the rules can be tested without I/O.
/// </summary>
internal sealed record HostView
{
    public required string Name { get; init; }

    /// <summary>The pod's Ready condition is True.</summary>
    public bool Ready { get; init; }

    /// <summary>The pod failed (phase Failed: crashed or evicted by the kubelet); it serves nothing any more.</summary>
    public bool Failed { get; init; }

    /// <summary>The pod has a deletionTimestamp: it is on its way out and counts for nothing.</summary>
    public bool Terminating { get; init; }

    /// <summary>Made from an older template than the pool's current one.</summary>
    public bool Outdated { get; init; }

    /// <summary>The pod's node is cordoned (spec.unschedulable).</summary>
    public bool NodeCordoned { get; init; }

    /// <summary>The value of the draining label (a <see cref="DrainReason"/>), null when the host takes sessions.</summary>
    public string? DrainReason { get; init; }

    public DateTimeOffset? DrainingSince { get; init; }

    /// <summary>Routes bound to the host (Bound, Active, Disconnected).</summary>
    public int BoundRoutes { get; init; }

    /// <summary>The busy label is set.</summary>
    public bool LabelledBusy { get; init; }

    /// <summary>When the host last had no bound route; null when unknown (then its creation time counts).</summary>
    public DateTimeOffset? IdleSince { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public bool Draining => DrainReason is not null;

    /// <summary>Takes part in the pool: not failed and not terminating.</summary>
    public bool Alive => !Failed && !Terminating;
}
