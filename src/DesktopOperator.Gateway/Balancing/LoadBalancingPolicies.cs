using System.Collections.Frozen;

namespace DesktopOperator.Gateway.Balancing;

/// <summary>The policies by <see cref="ILoadBalancingPolicy.Name"/>; stateless singletons, so one set serves every pool.</summary>
internal static class LoadBalancingPolicies
{
    public static ILoadBalancingPolicy Default { get; } = new LeastSessionsLoadBalancingPolicy();

    private static readonly FrozenDictionary<string, ILoadBalancingPolicy> ByName = new ILoadBalancingPolicy[]
    {
        Default,
        new RoundRobinLoadBalancingPolicy(),
        new RandomLoadBalancingPolicy(),
        new SourceHashLoadBalancingPolicy(),
    }.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    public static IReadOnlyCollection<string> Names => ByName.Keys;

    /// <summary>The policy named <paramref name="name"/>, or <see cref="Default"/> for an unknown name (validation reports those earlier).</summary>
    public static ILoadBalancingPolicy Get(string? name) =>
        name is not null && ByName.TryGetValue(name, out var policy) ? policy : Default;
}
