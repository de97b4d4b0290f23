using DesktopOperator.Gateway.Model;
namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// Where routes live: route files in standalone mode, SessionRoute objects in Kubernetes mode. Reads come from an
/// in-memory snapshot and never block; writes persist before they complete. Thread-safe.
/// <para>
/// Writes are conditional, like the API server's resourceVersion: every stored route carries a
/// <see cref="RouteRecord.Version"/>; <see cref="UpdateAsync"/> and <see cref="DeleteAsync"/> apply only while the
/// route is still at the version the caller read, else throw <see cref="RouteConflictException"/>. A store refreshes
/// its view before it throws, so a <see cref="Find"/> after a conflict returns a version at least as new as the one
/// that won; callers read, decide and write again through <see cref="RouteRetry"/>. No lock spans classes.
/// </para>
/// </summary>
internal interface IRouteStore
{
    RouteRecord? Find(string pool, string key);

    IReadOnlyList<RouteRecord> List(string pool);

    /// <summary>The pools that have at least one route, including pools the gateway no longer serves.</summary>
    IReadOnlyCollection<string> PoolsWithRoutes();

    /// <summary>
    /// Stores <paramref name="route"/> unless a route with the same (pool, key) exists; returns the stored route with
    /// its version: ours, or the one another writer stored first (so the caller adopts it).
    /// </summary>
    ValueTask<RouteCreation> CreateAsync(RouteRecord route, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the route with the same (pool, key) if it is still at <paramref name="route"/>'s version; returns the
    /// stored route with its new version. Throws <see cref="RouteConflictException"/> when it changed or is gone.
    /// </summary>
    ValueTask<RouteRecord> UpdateAsync(RouteRecord route, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the route if it is still at <paramref name="route"/>'s version; a route already gone is done.
    /// Throws <see cref="RouteConflictException"/> when it changed.
    /// </summary>
    ValueTask DeleteAsync(RouteRecord route, CancellationToken cancellationToken);

    /// <summary>Raised after any change, including ones made by another process (file edit, another replica).</summary>
    event EventHandler? Changed;
}
