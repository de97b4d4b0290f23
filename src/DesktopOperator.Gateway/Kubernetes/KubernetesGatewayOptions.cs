namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>What the gateway in Kubernetes mode watches and how it follows changes.</summary>
internal sealed record KubernetesGatewayOptions
{
    /// <summary>Watch only this namespace; null: all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// After a change, wait this long before planning, so a storm of pod updates (a pool scaling up, a rollout) makes one
    /// rebuild, not one per event. Short against a pod's start-up time, which dominates how soon a host takes users.
    /// </summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>After a plan that failed to apply, try again this soon even without a change.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(5);
}
