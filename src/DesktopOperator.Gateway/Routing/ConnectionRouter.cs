using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Routing;

/// <summary>
/// The routing layer behind every front end: decides with <see cref="RoutingEngine"/> over the current pool snapshot,
/// the pool's routes and host health, then makes the decision durable. A new route is created in the store; when
/// another writer created the same (pool, key) first, its host is adopted while usable, so two racing connections
/// (or replicas) of one user land together. A route whose host became unusable (failed connect, unhealthy, removed)
/// is moved rather than duplicated. Writes are conditional on the route's version and retried through
/// <see cref="RouteRetry"/>. <see cref="Preview"/> decides the same way and stores nothing. Thread-safe; deciding never waits, storing waits on the store only.
/// </summary>
internal sealed partial class ConnectionRouter : IConnectionRouter, IDisposable
{
    /// <summary>
    /// <see cref="WaitForChangeAsync"/> also returns after this long without a change: a change that lands between a
    /// Queued decision and the caller's wait is otherwise only seen at the next one.
    /// </summary>
    public static readonly TimeSpan QueueRecheckInterval = TimeSpan.FromSeconds(2);

    private readonly IPoolSnapshotSource _pools;
    private readonly IRouteStore _routes;
    private readonly IHostHealthView _health;
    private readonly SessionTracker _sessions;
    private readonly IBalancingState _balancing;
    private readonly RoutingMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<ConnectionRouter> _logger;
    private readonly ChangeSignal _changed = new();
    private readonly PendingRoutes _pending;

    public ConnectionRouter(
        IPoolSnapshotSource pools,
        IRouteStore routes,
        IHostHealthView health,
        SessionTracker sessions,
        IBalancingState balancing,
        RoutingMetrics metrics,
        TimeProvider time,
        ILogger<ConnectionRouter> logger)
    {
        (_pools, _routes, _health, _sessions, _balancing, _metrics, _time, _logger) =
            (pools, routes, health, sessions, balancing, metrics, time, logger);
        _pending = new PendingRoutes(routes, time);
        _pools.Changed += OnChanged;
        _routes.Changed += OnChanged;
        _health.HealthChanged += OnHealthChanged;
    }

    public async ValueTask<RoutingDecision> RouteAsync(
        RouteRequest request, IReadOnlyCollection<string> excludedHosts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pool = _pools.Find(request.Pool);
        var routes = pool is null ? [] : _routes.List(pool.Key);
        var decision = RoutingEngine.Decide(pool, routes, _health, request, excludedHosts, _balancing);
        _metrics.RecordDecision(request.Pool, decision.Result);
        if (decision.Result != RoutingResult.Routed)
        {
            LogNotRouted(request.Pool, decision.Result, decision.Reason);
            if (decision.Result == RoutingResult.Queued)
            {
                if (await _pending.RecordAsync(pool!, request, cancellationToken).ConfigureAwait(false)
                    && decision.RouteKey is { } key && _logger.IsEnabled(LogLevel.Information))
                {
                    var position = RouteQueue.PositionOf(_routes.List(pool!.Key), key);
                    LogQueued(pool.Key, key, position, decision.Reason);
                }
            }

            return decision;
        }

        return decision.NewRoute ? await StoreAsync(pool!, request, decision, excludedHosts, cancellationToken).ConfigureAwait(false) : decision;
    }

    public RoutingDecision Preview(RouteRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pool = _pools.Find(request.Pool);
        var routes = pool is null ? [] : _routes.List(pool.Key);
        var decision = RoutingEngine.Decide(pool, routes, _health, request, [], _balancing);
        _metrics.RecordDecision(request.Pool, decision.Result, preview: true);
        if (decision.Result != RoutingResult.Routed)
        {
            LogNotRouted(request.Pool, decision.Result, decision.Reason);
        }

        return decision;
    }

    public IDisposable BeginSession(RouteRequest request, RoutingDecision decision)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision is not { Result: RoutingResult.Routed, Host: { } host, RouteKey: { } key })
        {
            throw new ArgumentException("only a Routed decision with a host and route key starts a session", nameof(decision));
        }

        var kind = _pools.Find(request.Pool) is { } pool ? RoutingEngine.AffinityKeyOf(pool, request).Kind : AffinityKey.SourceIP;
        return _sessions.Begin(request.Pool, key, kind, request.Protocol, host.Name);
    }

    public void ReportConnectFailure(string pool, string host) => _health.ReportConnectFailure(pool, host);

    public void ReportConnectSuccess(string pool, string host) => _health.ReportConnectSuccess(pool, host);

    /// <summary>Completes at the next pool, route or health change (any pool), or after <see cref="QueueRecheckInterval"/>.</summary>
    public async Task WaitForChangeAsync(string pool, CancellationToken cancellationToken)
    {
        try
        {
            await _changed.Current.WaitAsync(QueueRecheckInterval, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // No change seen: the caller re-asks anyway, which covers a change that came before this wait began.
        }
    }

    public void Dispose()
    {
        _pools.Changed -= OnChanged;
        _routes.Changed -= OnChanged;
        _health.HealthChanged -= OnHealthChanged;
    }

    private ValueTask<RoutingDecision> StoreAsync(
        GatewayPool pool, RouteRequest request, RoutingDecision decision, IReadOnlyCollection<string> excludedHosts, CancellationToken cancellationToken) =>
        RouteRetry.OnConflictAsync(ct => TryStoreAsync(pool, request, decision, excludedHosts, ct), cancellationToken);

    /// <summary>One attempt: creates the route, or decides between adopting and moving on the route as stored now.</summary>
    private async ValueTask<RoutingDecision> TryStoreAsync(
        GatewayPool pool, RouteRequest request, RoutingDecision decision, IReadOnlyCollection<string> excludedHosts, CancellationToken cancellationToken)
    {
        var (kind, key) = RoutingEngine.AffinityKeyOf(pool, request);
        var host = decision.Host!.Name;
        var now = _time.GetUtcNow();
        var current = _routes.Find(pool.Key, key);
        if (current is null)
        {
            var created = await _routes.CreateAsync(
                new RouteRecord(pool.Key, key, kind, request.Protocol, host, request.RequestedHost is not null, SessionRoutePhase.Bound, now, now, 0)
                {
                    HostUid = RouteHosts.UidOf(pool, host),
                },
                cancellationToken).ConfigureAwait(false);
            if (created.Created)
            {
                LogRouteCreated(pool.Key, key, host, decision.Reason);
                return decision;
            }

            current = created.Route;
        }

        return await AdoptOrMoveAsync(pool, request, decision, current, excludedHosts, kind, now, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<RoutingDecision> AdoptOrMoveAsync(
        GatewayPool pool,
        RouteRequest request,
        RoutingDecision decision,
        RouteRecord current,
        IReadOnlyCollection<string> excludedHosts,
        AffinityKey kind,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var key = current.Key;
        var host = decision.Host!.Name;
        var pinned = request.RequestedHost is not null;

        // Another writer made this key's route after we decided (a racing connection, another replica): follow it
        // while its host serves us, unless the user asked for a different host.
        // Its host as the controller reads it (RouteHosts): an unusable re-pin is not followed, a replaced pod is gone.
        var (winner, winnerIndex) = RouteLifecycle.HoldsSlot(current.Phase) ? RouteHosts.Resolve(pool, current) : (null, -1);
        if (winner is not null && (!pinned || winner == host)
            && HostUsabilityRules.Check(pool, winnerIndex, _health, excludedHosts, newSession: false) == HostUsability.Usable)
        {
            if (winner == host)
            {
                return decision;
            }

            LogRouteAdopted(pool.Key, key, winner);
            var target = pool.Hosts[winnerIndex];
            return decision with
            {
                Host = HostTarget.Of(target, decision.Host.Port),
                Reason = "route created concurrently; adopted its host",
            };
        }

        // Move the route (its host failed, was removed, or the user picked another) or fill a Pending/Expired one, on
        // the version decided on: a write that came between (a session count, another replica) makes this conflict
        // and decide again.
        var moved = current with
        {
            Host = host,
            HeldHost = null,
            HostUid = RouteHosts.UidOf(pool, host),
            KeyKind = kind,
            Protocol = request.Protocol,
            Pinned = pinned,
            Phase = RouteLifecycle.AfterMove(current.Phase, current.ActiveConnections),
            BoundAt = now,
            LastSeen = now,
        };
        await _routes.UpdateAsync(moved, cancellationToken).ConfigureAwait(false);
        LogRouteMoved(pool.Key, key, current.Host, host, decision.Reason);
        return decision;
    }

    private void OnChanged(object? sender, EventArgs e) => _changed.Notify();

    private void OnHealthChanged(object? sender, HostHealthChangedEventArgs e) => _changed.Notify();
}
