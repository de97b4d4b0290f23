namespace DesktopOperator.Gateway.Balancing;

/// <summary>
/// What balancing policies keep between decisions: randomness (injected, so a test can fix the seed) and per-pool
/// round-robin positions. Production uses one <see cref="BalancingState"/> per process over <see cref="System.Random.Shared"/>.
/// </summary>
internal interface IBalancingState
{
    /// <summary>Must be thread-safe when decisions run concurrently (<see cref="System.Random.Shared"/> is).</summary>
    Random Random { get; }

    /// <summary>The round-robin position of <paramref name="pool"/>, created on first use.</summary>
    SmoothRoundRobin RoundRobinOf(string pool);
}
