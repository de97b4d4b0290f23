namespace DesktopOperator.Api.Hosts;

/// <summary>
/// Labels and annotations the operator puts on session-host pods; their one home, read by the controllers and the
/// gateway alike. The gateway reads <see cref="Pool"/> (which pool a pod serves) and <see cref="Draining"/> (no new
/// sessions on that host); the pool's PodDisruptionBudget selects <see cref="Busy"/> hosts.
/// </summary>
public static class HostLabels
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    public const string ManagedByValue = "desktop-operator";

    /// <summary>The DesktopPool the host belongs to.</summary>
    public const string Pool = "desktop-operator.io/pool";

    /// <summary>A hash of the pool's spec.template the pod was made from; a different hash marks it outdated.</summary>
    public const string TemplateHash = "desktop-operator.io/template-hash";

    /// <summary>"true" while at least one route is bound to the host (absent otherwise).</summary>
    public const string Busy = "desktop-operator.io/busy";

    /// <summary>Present while the host takes no new sessions; its value is the reason (the controllers' <c>DrainReason</c>).</summary>
    public const string Draining = "desktop-operator.io/draining";

    /// <summary>Annotation: when the host was marked draining (RFC 3339).</summary>
    public const string DrainingSince = "desktop-operator.io/draining-since";

    /// <summary>Annotation: when the host last had no bound route (RFC 3339); absent while busy.</summary>
    public const string IdleSince = "desktop-operator.io/idle-since";

    public const string TrueValue = "true";

    /// <summary>The label selector of every host the operator manages.</summary>
    public const string ManagedSelector = ManagedBy + "=" + ManagedByValue;
}
