namespace DesktopOperator.Controllers.Pools;

/// <summary>What one reconcile should do to a pool's hosts; the reconciler only applies it.</summary>
internal sealed record ScalePlan
{
    /// <summary>clamp(ceil((sessions + buffer) / sessionsPerHost), minHosts, maxHosts).</summary>
    public int Desired { get; init; }

    /// <summary>The same count before the clamp to [minHosts, maxHosts].</summary>
    public int Wanted { get; init; }

    /// <summary>Hosts in service (alive and not draining) once the plan is applied, counting the ones created.</summary>
    public int ServingAfter { get; init; }

    /// <summary>New hosts to create from the current template.</summary>
    public int Create { get; init; }

    /// <summary>Hosts to mark draining (no new sessions); deleted by a later pass only while still empty.</summary>
    public IReadOnlyList<HostAction> Drain { get; init; } = [];

    /// <summary>Hosts drained for scale-down taken back into service because sessions grew again.</summary>
    public IReadOnlyList<string> Undrain { get; init; } = [];

    public IReadOnlyList<HostAction> Delete { get; init; } = [];

    /// <summary>Hosts that got their first bound route: set the busy label.</summary>
    public IReadOnlyList<string> MarkBusy { get; init; } = [];

    /// <summary>Hosts whose last bound route ended: remove the busy label, record when they became idle.</summary>
    public IReadOnlyList<string> MarkIdle { get; init; } = [];

    /// <summary>Draining hosts whose maximum drain time is near: announced by an event before they are deleted.</summary>
    public IReadOnlyList<HostAction> DeadlineWarnings { get; init; } = [];

    /// <summary>The pool wants more hosts than maxHosts allows.</summary>
    public bool ScalingLimited => Wanted > Desired;

    /// <summary>When the plan changes by time alone (a scale-down delay or a drain deadline runs out); null: never.</summary>
    public TimeSpan? RequeueAfter { get; init; }

    public bool ChangesHosts => Create > 0 || Drain.Count > 0 || Undrain.Count > 0 || Delete.Count > 0;
}
