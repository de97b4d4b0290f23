using System.Collections.Immutable;
using System.Globalization;
using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// Routes in memory: the store for tests and single-gateway setups without persistence. Each pool's routes are an
/// immutable map swapped under a lock, so reads never block and <see cref="List"/> returns a stable snapshot (cached
/// until the next write). Versions are a counter. Writes complete synchronously; the version check and the write
/// happen under one lock. <see cref="IRouteStore.Changed"/> is raised after each write, outside the lock. Thread-safe.
/// </summary>
internal sealed class InMemoryRouteStore : IRouteStore
{
    private readonly Lock _gate = new();
    private ImmutableDictionary<string, PoolRoutes> _pools = ImmutableDictionary.Create<string, PoolRoutes>(StringComparer.Ordinal);
    private long _version;

    public event EventHandler? Changed;

    public RouteRecord? Find(string pool, string key) =>
        Volatile.Read(ref _pools).TryGetValue(pool, out var routes) ? routes.ByKey.GetValueOrDefault(key) : null;

    public IReadOnlyList<RouteRecord> List(string pool) =>
        Volatile.Read(ref _pools).TryGetValue(pool, out var routes) ? routes.List : [];

    public IReadOnlyCollection<string> PoolsWithRoutes() =>
        [.. Volatile.Read(ref _pools).Where(p => p.Value.ByKey.Count > 0).Select(p => p.Key)];

    public ValueTask<RouteCreation> CreateAsync(RouteRecord route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        cancellationToken.ThrowIfCancellationRequested();
        RouteRecord stored;
        lock (_gate)
        {
            var existing = Find(route.Pool, route.Key);
            if (existing is not null)
            {
                return ValueTask.FromResult(new RouteCreation(existing, Created: false));
            }

            stored = Write(route);
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return ValueTask.FromResult(new RouteCreation(stored, Created: true));
    }

    public ValueTask<RouteRecord> UpdateAsync(RouteRecord route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        cancellationToken.ThrowIfCancellationRequested();
        RouteRecord stored;
        lock (_gate)
        {
            if (Find(route.Pool, route.Key)?.Version != route.Version)
            {
                throw new RouteConflictException(route.Pool, route.Key, route.Version);
            }

            stored = Write(route);
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return ValueTask.FromResult(stored);
    }

    public ValueTask DeleteAsync(RouteRecord route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var current = Find(route.Pool, route.Key);
            if (current is null)
            {
                return ValueTask.CompletedTask;
            }

            if (current.Version != route.Version)
            {
                throw new RouteConflictException(route.Pool, route.Key, route.Version);
            }

            Swap(route.Pool, byKey => byKey.Remove(route.Key));
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return ValueTask.CompletedTask;
    }

    // Caller holds _gate.
    private RouteRecord Write(RouteRecord route)
    {
        var stored = route with { Version = (++_version).ToString(CultureInfo.InvariantCulture) };
        Swap(route.Pool, byKey => byKey.SetItem(route.Key, stored));
        return stored;
    }

    // Caller holds _gate.
    private void Swap(string pool, Func<ImmutableDictionary<string, RouteRecord>, ImmutableDictionary<string, RouteRecord>> change)
    {
        var byKey = _pools.TryGetValue(pool, out var routes)
            ? routes.ByKey
            : ImmutableDictionary.Create<string, RouteRecord>(StringComparer.Ordinal);
        Volatile.Write(ref _pools, _pools.SetItem(pool, new PoolRoutes(change(byKey))));
    }

    private sealed class PoolRoutes(ImmutableDictionary<string, RouteRecord> byKey)
    {
        private RouteRecord[]? _list;

        public ImmutableDictionary<string, RouteRecord> ByKey { get; } = byKey;

        // Built on first read after a write; a benign race builds the same array twice.
        public IReadOnlyList<RouteRecord> List => _list ??= [.. ByKey.Values];
    }
}
