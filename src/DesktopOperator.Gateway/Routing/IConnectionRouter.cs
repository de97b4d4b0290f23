using DesktopOperator.Gateway.Model;
namespace DesktopOperator.Gateway.Routing;

/// <summary>
/// What a front end (the TCP proxy, the HTTP proxy) asks of the routing layer for each connection. Implementations
/// are thread-safe; deciding reads the current pool, route and health snapshots, and only storing a new route
/// waits on I/O.
/// </summary>
internal interface IConnectionRouter
{
    /// <summary>
    /// Decides where <paramref name="request"/> goes and, for a new route, stores it (<see cref="Sessions.IRouteStore.CreateAsync"/>):
    /// when another gateway replica won the race for the same key, the decision carries the winner's host.
    /// <paramref name="excludedHosts"/> holds hosts that already failed to connect for this client, so a
    /// redispatch picks another host (moving the route rather than making a second one).
    /// </summary>
    ValueTask<RoutingDecision> RouteAsync(RouteRequest request, IReadOnlyCollection<string> excludedHosts, CancellationToken cancellationToken);

    /// <summary>
    /// Decides where <paramref name="request"/> goes by the same rules as <see cref="RouteAsync"/> and stores
    /// nothing: no route, no queue entry, no session. For a client that has not shown it keeps an identity (an HTTP
    /// request without an affinity cookie), so a client that never comes back does not hold a slot.
    /// </summary>
    RoutingDecision Preview(RouteRequest request);

    /// <summary>
    /// The client is now connected through to <c>decision.Host</c>: the route is Active. Disposing the returned
    /// object ends this connection's share of the session; when a route's last connection ends it becomes
    /// Disconnected and keeps its host for the pool's <c>resumeFor</c>.
    /// </summary>
    IDisposable BeginSession(RouteRequest request, RoutingDecision decision);

    /// <summary>Passive health: a connect to <paramref name="host"/> failed or timed out.</summary>
    void ReportConnectFailure(string pool, string host);

    /// <summary>Passive health: a connect to <paramref name="host"/> succeeded.</summary>
    void ReportConnectSuccess(string pool, string host);

    /// <summary>
    /// Completes when pools, routes or host health change (a slot may have been freed): queued connections wait on
    /// it and ask <see cref="RouteAsync"/> again.
    /// </summary>
    Task WaitForChangeAsync(string pool, CancellationToken cancellationToken);
}
