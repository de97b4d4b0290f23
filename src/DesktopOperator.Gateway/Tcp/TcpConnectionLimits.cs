using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Live connection counts of one pool on this gateway, shared by all of the pool's listeners, checked against
/// <see cref="TcpProxyOptions.MaxConnectionsPerPool"/> and <see cref="TcpProxyOptions.MaxConnectionsPerHost"/>.
/// Thread-safe and lock-free; every successful <c>TryEnter*</c> must be paired with its <c>Exit*</c>.
/// </summary>
internal sealed class TcpConnectionLimits(int maxPerPool, int maxPerHost)
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _hosts = new(StringComparer.Ordinal);
    private int _pool;

    public static TcpConnectionLimits Unlimited => new(0, 0);

    public int PoolConnections => Volatile.Read(ref _pool);

    public bool TryEnterPool() => TryEnter(ref _pool, maxPerPool);

    public void ExitPool() => Interlocked.Decrement(ref _pool);

    public bool TryEnterHost(string host) => TryEnter(ref _hosts.GetOrAdd(host, static _ => new StrongBox<int>()).Value, maxPerHost);

    public void ExitHost(string host)
    {
        if (_hosts.TryGetValue(host, out var count))
        {
            Interlocked.Decrement(ref count.Value);
        }
    }

    public int HostConnections(string host) => _hosts.TryGetValue(host, out var count) ? Volatile.Read(ref count.Value) : 0;

    private static bool TryEnter(ref int count, int max)
    {
        if (Interlocked.Increment(ref count) <= max || max <= 0)
        {
            return true;
        }

        Interlocked.Decrement(ref count);
        return false;
    }
}
