using System.Collections.Frozen;
using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Routing;

/// <summary>
/// Holds the pools the gateway routes for. <see cref="Update"/> replaces the whole set atomically (a reader sees the
/// old set or the new one, never a mix), like YARP's InMemoryConfigProvider; a writer is the standalone manifest
/// loader or the DesktopPool informer. Thread-safe; concurrent updates apply in some order, last wins.
/// </summary>
internal sealed class PoolRegistry : IPoolSnapshotSource
{
    private FrozenDictionary<string, GatewayPool> _pools = FrozenDictionary<string, GatewayPool>.Empty;

    public event EventHandler? Changed;

    public IReadOnlyCollection<GatewayPool> Pools => Volatile.Read(ref _pools).Values;

    public GatewayPool? Find(string key) => Volatile.Read(ref _pools).GetValueOrDefault(key);

    /// <summary>Replaces every pool with <paramref name="pools"/>; a pool key given twice is an error and changes nothing.</summary>
    public void Update(IEnumerable<GatewayPool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var byKey = new Dictionary<string, GatewayPool>(StringComparer.Ordinal);
        foreach (var pool in pools)
        {
            if (!byKey.TryAdd(pool.Key, pool))
            {
                throw new ArgumentException($"pool '{pool.Key}' is given twice", nameof(pools));
            }
        }

        Interlocked.Exchange(ref _pools, byKey.ToFrozenDictionary(StringComparer.Ordinal));
        Changed?.Invoke(this, EventArgs.Empty);
    }
}
