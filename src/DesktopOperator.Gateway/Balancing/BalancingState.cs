using System.Collections.Concurrent;

namespace DesktopOperator.Gateway.Balancing;

/// <summary>Per-process balancing state; see <see cref="IBalancingState"/>. Thread-safe when <paramref name="random"/> is.</summary>
internal sealed class BalancingState(Random random) : IBalancingState
{
    private readonly ConcurrentDictionary<string, SmoothRoundRobin> _roundRobin = new(StringComparer.Ordinal);

    public BalancingState()
        : this(Random.Shared)
    {
    }

    public Random Random { get; } = random;

    public SmoothRoundRobin RoundRobinOf(string pool) => _roundRobin.GetOrAdd(pool, static _ => new SmoothRoundRobin());
}
