using DesktopOperator.Gateway.Model;
namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// Where routes live: route files in standalone mode, SessionRoute objects in Kubernetes mode. Reads come from an
/// in-memory snapshot and never block; writes persist before they complete. Thread-safe.
/// </summary>
internal interface IRouteStore
{
    RouteRecord? Find(string pool, string key);

    IReadOnlyList<RouteRecord> List(string pool);

    /// <summary>The pools that have at least one route, including pools the gateway no longer serves.</summary>
    IReadOnlyCollection<string> PoolsWithRoutes();

    /// <summary>
    /// Stores <paramref name="route"/> unless a route with the same (pool, key) exists; returns the stored one
    /// (the winner when two writers race), so the caller adopts it.
    /// </summary>
    ValueTask<RouteRecord> CreateAsync(RouteRecord route, CancellationToken cancellationToken);

    /// <summary>Replaces the route with the same (pool, key).</summary>
    ValueTask UpdateAsync(RouteRecord route, CancellationToken cancellationToken);

    ValueTask DeleteAsync(string pool, string key, CancellationToken cancellationToken);

    /// <summary>Raised after any change, including ones made by another process (file edit, another replica).</summary>
    event EventHandler? Changed;
}
