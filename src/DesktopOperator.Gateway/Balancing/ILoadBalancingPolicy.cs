namespace DesktopOperator.Gateway.Balancing;

/// <summary>
/// Chooses a host for a new route among candidates the engine already filtered (usable, weight above 0, free
/// capacity). Implementations are stateless singletons and thread-safe; what must persist between decisions (round
/// robin position, randomness) lives in <see cref="BalancingContext.State"/>. Must not allocate per call.
/// </summary>
internal interface ILoadBalancingPolicy
{
    string Name { get; }

    /// <summary>Returns one of <see cref="BalancingContext.Candidates"/> (a host index); there is at least one.</summary>
    int Pick(in BalancingContext context);
}
