namespace DesktopOperator.Api.V1Alpha1;

/// <summary>CamelCase condition reasons (metav1.Condition <c>reason</c>).</summary>
public static class ConditionReasons
{
    public const string HostsReady = "HostsReady";

    public const string NoReadyHosts = "NoReadyHosts";

    public const string PoolFull = "PoolFull";

    public const string InvalidSpec = "InvalidSpec";

    public const string HostsFailed = "HostsFailed";

    public const string HostCreateFailed = "HostCreateFailed";

    public const string AsExpected = "AsExpected";

    public const string MaxHostsReached = "MaxHostsReached";

    public const string WithinLimits = "WithinLimits";

    public const string ScalingUp = "ScalingUp";

    public const string ScalingDown = "ScalingDown";

    public const string Draining = "Draining";

    public const string RollingUpdate = "RollingUpdate";

    public const string Stable = "Stable";

    public const string Bound = "Bound";

    public const string Queued = "Queued";

    public const string PoolNotFound = "PoolNotFound";

    public const string HostNotFound = "HostNotFound";

    public const string HostGone = "HostGone";

    /// <summary>A route's user (spec.user) may not use its pool (the pool's spec.access).</summary>
    public const string AccessDenied = "AccessDenied";

    /// <summary>A route's pinned host (spec.host) is in the pool but takes no new session (not ready, draining).</summary>
    public const string HostNotUsable = "HostNotUsable";

    /// <summary>A pool's gateway port is already served for another pool.</summary>
    public const string GatewayPortConflict = "GatewayPortConflict";

    /// <summary>The pool's gateway ports are on the gateway's Service.</summary>
    public const string PortsServed = "PortsServed";

    public const string ResumeExpired = "ResumeExpired";
}
