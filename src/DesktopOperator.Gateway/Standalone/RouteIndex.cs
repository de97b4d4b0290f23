using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Standalone;

/// <summary>
/// The file store's in-memory routes, by pool and then by key, so that listing one pool's routes (the router does it
/// for every new connection) visits that pool's routes only, not every stored route. Lock-free reads; writes are
/// compare-and-swap per route. A pool's map stays once created (empty when its routes are gone).
/// <see cref="List"/> hands out one cached array per pool until the pool's next write (<see cref="PoolRoutes"/>), so
/// the router's read per connection allocates nothing while routes do not change (proxy-figures.md, Run 8).
/// </summary>
internal sealed class RouteIndex
{
    private readonly ConcurrentDictionary<string, PoolRoutes> _pools = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            var count = 0;
            foreach (var (_, routes) in _pools)
            {
                count += routes.ByKey.Count;
            }

            return count;
        }
    }

    public RouteRecord? Find(string pool, string key) =>
        _pools.TryGetValue(pool, out var routes) ? routes.ByKey.GetValueOrDefault(key) : null;

    public bool TryGet(string pool, string key, [NotNullWhen(true)] out RouteRecord? route)
    {
        route = Find(pool, key);
        return route is not null;
    }

    public void Set(RouteRecord route)
    {
        var routes = _pools.GetOrAdd(route.Pool, static _ => new PoolRoutes());
        routes.ByKey[route.Key] = route;
        routes.Changed();
    }

    /// <summary>Replaces <paramref name="current"/> with <paramref name="next"/> (same pool and key) if it is still stored.</summary>
    public bool TryReplace(RouteRecord current, RouteRecord next) =>
        _pools.TryGetValue(current.Pool, out var routes) && routes.Changed(routes.ByKey.TryUpdate(current.Key, next, current));

    /// <summary>Removes <paramref name="current"/> if it is still the stored route of its pool and key.</summary>
    public bool TryRemove(RouteRecord current) =>
        _pools.TryGetValue(current.Pool, out var routes)
        && routes.Changed(routes.ByKey.TryRemove(new KeyValuePair<string, RouteRecord>(current.Key, current)));

    /// <summary>Removes whatever route is stored under <paramref name="pool"/> and <paramref name="key"/>.</summary>
    public bool Remove(string pool, string key) => _pools.TryGetValue(pool, out var routes) && routes.Changed(routes.ByKey.TryRemove(key, out _));

    public IReadOnlyList<RouteRecord> List(string pool) => _pools.TryGetValue(pool, out var routes) ? routes.List() : [];

    public IReadOnlyCollection<string> PoolsWithRoutes() =>
        _pools.Where(entry => !entry.Value.ByKey.IsEmpty).Select(entry => entry.Key).ToHashSet(StringComparer.Ordinal);

    public IEnumerable<RouteRecord> All() => _pools.Values.SelectMany(routes => routes.ByKey.Select(entry => entry.Value));
}
