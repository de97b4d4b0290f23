namespace DesktopOperator.Api.V1Alpha1;

/// <summary>How the gateway picks a host for a user who has none.</summary>
public enum BalancingStrategy
{
    /// <summary>The ready host with the most free slots relative to its weight.</summary>
    LeastSessions,

    /// <summary>Ready hosts in turn, skipping full ones, in proportion to their weights.</summary>
    RoundRobin,

    /// <summary>A random ready host with free slots, in proportion to its weight.</summary>
    Random,

    /// <summary>Consistent hashing of the affinity key over the ready hosts: a key keeps its host while the host set stays.</summary>
    SourceHash,
}
