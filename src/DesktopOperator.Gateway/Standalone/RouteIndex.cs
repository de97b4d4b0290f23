using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Standalone;

/// <summary>
/// The file store's in-memory routes, by pool and then by key, so that listing one pool's routes (the router does it
/// for every new connection) visits that pool's routes only, not every stored route. Lock-free reads; writes are
/// compare-and-swap per route. A pool's map stays once created (empty when its routes are gone).
/// </summary>
internal sealed class RouteIndex
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, RouteRecord>> _pools = new(StringComparer.Ordinal);

    public int Count => _pools.Values.Sum(routes => routes.Count);

    public RouteRecord? Find(string pool, string key) =>
        _pools.TryGetValue(pool, out var routes) ? routes.GetValueOrDefault(key) : null;

    public bool TryGet(string pool, string key, [NotNullWhen(true)] out RouteRecord? route)
    {
        route = Find(pool, key);
        return route is not null;
    }

    public void Set(RouteRecord route) =>
        _pools.GetOrAdd(route.Pool, static _ => new ConcurrentDictionary<string, RouteRecord>(StringComparer.Ordinal))[route.Key] = route;

    /// <summary>Replaces <paramref name="current"/> with <paramref name="next"/> (same pool and key) if it is still stored.</summary>
    public bool TryReplace(RouteRecord current, RouteRecord next) =>
        _pools.TryGetValue(current.Pool, out var routes) && routes.TryUpdate(current.Key, next, current);

    /// <summary>Removes <paramref name="current"/> if it is still the stored route of its pool and key.</summary>
    public bool TryRemove(RouteRecord current) =>
        _pools.TryGetValue(current.Pool, out var routes) && routes.TryRemove(new KeyValuePair<string, RouteRecord>(current.Key, current));

    /// <summary>Removes whatever route is stored under <paramref name="pool"/> and <paramref name="key"/>.</summary>
    public bool Remove(string pool, string key) => _pools.TryGetValue(pool, out var routes) && routes.TryRemove(key, out _);

    public IReadOnlyList<RouteRecord> List(string pool) =>
        _pools.TryGetValue(pool, out var routes) ? [.. routes.Select(entry => entry.Value)] : [];

    public IReadOnlyCollection<string> PoolsWithRoutes() =>
        _pools.Where(entry => !entry.Value.IsEmpty).Select(entry => entry.Key).ToHashSet(StringComparer.Ordinal);

    public IEnumerable<RouteRecord> All() => _pools.Values.SelectMany(routes => routes.Select(entry => entry.Value));
}
