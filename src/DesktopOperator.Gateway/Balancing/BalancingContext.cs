using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;

namespace DesktopOperator.Gateway.Balancing;

/// <summary>One balancing choice: the pool, the candidate host indices (never empty), sessions per host index and the affinity key.</summary>
internal readonly ref struct BalancingContext(
    GatewayPool pool,
    ReadOnlySpan<int> candidates,
    ReadOnlySpan<int> sessions,
    string affinityKey,
    IBalancingState state)
{
    public GatewayPool Pool { get; } = pool;

    /// <summary>Indices into <see cref="GatewayPool.Hosts"/>, in host order.</summary>
    public ReadOnlySpan<int> Candidates { get; } = candidates;

    /// <summary>Sessions each host holds, indexed like <see cref="GatewayPool.Hosts"/>.</summary>
    public ReadOnlySpan<int> Sessions { get; } = sessions;

    public string AffinityKey { get; } = affinityKey;

    public IBalancingState State { get; } = state;

    public int WeightOf(int host) => Pool.Hosts[host].Weight;
}
