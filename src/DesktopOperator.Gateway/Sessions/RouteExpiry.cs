using System.Collections.Concurrent;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// Periodic sweep over every pool's routes (level-based: each pass looks at the routes as they are now):
/// a route whose host is no longer in the pool, or is another pod of its name now, becomes Failed (its user gets a new host on return); a Bound or
/// Disconnected route with no open connection here whose LastSeen is older than the pool's <c>resumeFor</c> becomes
/// Expired and is deleted, which frees its host slot; Failed routes are deleted after another <c>resumeFor</c> (kept
/// that long to be seen on the status page); Pending routes not refreshed for <see cref="PendingTimeout"/> are
/// deleted. Each route is read, decided and written on the version read (retried on conflict): a connection that
/// begins meanwhile writes its count first (the sweep conflicts and sees it) or finds its route gone and puts it back.
/// Routes of a pool that is gone (its manifest or DesktopPool deleted) are deleted once no connection here holds them
/// and they have been idle for the pool's last known <c>resumeFor</c>, so a pool put back within that time finds its
/// users' routes again.
/// With <see cref="SoleGateway"/> (standalone mode, one gateway) an Active route with no connection here is a
/// leftover of a previous run (or an edited file) and is adopted: Disconnected since now. The rules themselves are
/// <see cref="RouteLifecycle"/>'s.
/// </summary>
internal sealed partial class RouteExpiry(
    IPoolSnapshotSource pools, IRouteStore routes, SessionTracker sessions, TimeProvider time, ILogger<RouteExpiry> logger)
    : BackgroundService
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    private readonly ChangeSignal _poolsChanged = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _resumeFor = new(StringComparer.Ordinal);

    public bool SoleGateway { get; init; } = true;

    /// <summary>
    /// A Pending route not refreshed for this long belongs to a client that stopped waiting: deleted. Three refresh
    /// intervals of <see cref="PendingRoutes"/>, so a waiting client's route never lapses.
    /// </summary>
    public static readonly TimeSpan PendingTimeout = PendingRoutes.RefreshInterval * 3;

    /// <summary>
    /// The <c>resumeFor</c> of a gone pool this process never saw (deleted while the gateway was down): the API's
    /// default <c>spec.affinity.resumeFor</c>.
    /// </summary>
    public static readonly TimeSpan UnknownPoolResumeFor = TimeSpan.FromHours(8);

    /// <summary>One pass over all pools; returns how many routes it changed or deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var pool in pools.Pools)
        {
            _resumeFor[pool.Key] = pool.ResumeFor;
            changed += await SweepPoolAsync(pool.Key, (route, ct) => SweepAsync(pool, route, ct), cancellationToken).ConfigureAwait(false);
        }

        foreach (var gone in routes.PoolsWithRoutes())
        {
            if (pools.Find(gone) is null)
            {
                var resumeFor = _resumeFor.GetValueOrDefault(gone, UnknownPoolResumeFor);
                changed += await SweepPoolAsync(gone, (route, ct) => SweepGoneAsync(resumeFor, route, ct), cancellationToken).ConfigureAwait(false);
            }
        }

        return changed;
    }

    /// <summary>
    /// Applies <paramref name="sweep"/> to each route of <paramref name="pool"/>, read again per attempt: the snapshot
    /// may be stale by now, and a write that lands between the read and ours makes ours conflict and decide again.
    /// </summary>
    private async Task<int> SweepPoolAsync(
        string pool, Func<RouteRecord, CancellationToken, ValueTask<bool>> sweep, CancellationToken cancellationToken)
    {
        var changed = 0;
        var snapshot = routes.List(pool);
        for (var i = 0; i < snapshot.Count; i++)
        {
            var key = snapshot[i].Key;
            var done = await RouteRetry.OnConflictAsync(
                ct => routes.Find(pool, key) is { } route ? sweep(route, ct) : ValueTask.FromResult(false), cancellationToken).ConfigureAwait(false);
            if (done)
            {
                changed++;
            }
        }

        return changed;
    }

    /// <summary>A route of a pool that is gone: deleted once no connection here holds it and it was idle for <paramref name="resumeFor"/>.</summary>
    private async ValueTask<bool> SweepGoneAsync(TimeSpan resumeFor, RouteRecord route, CancellationToken cancellationToken)
    {
        var idle = time.GetUtcNow() - route.LastSeen;
        if (RouteLifecycle.SweepGonePool(sessions.ConnectionsOf(route.Pool, route.Key), idle, resumeFor) == RouteSweep.Keep)
        {
            return false;
        }

        LogGonePoolRouteDeleted(route.Pool, route.Key, route.Host, idle);
        await routes.DeleteAsync(route, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Sweeps at start, every <see cref="Interval"/>, and right after a pool change (hosts removed → Failed at once).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        pools.Changed += OnPoolsChanged;
        try
        {
            using var timer = new PeriodicTimer(Interval, time);
            Task<bool>? tick = null;
            while (true)
            {
                // Taken before sweeping: a change during the sweep causes another one.
                var poolsChanged = _poolsChanged.Current;
                await SweepLoggedAsync(stoppingToken).ConfigureAwait(false);
                tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
                if (await Task.WhenAny(tick, poolsChanged).ConfigureAwait(false) == tick)
                {
                    if (!await tick.ConfigureAwait(false))
                    {
                        return;
                    }

                    tick = null;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            pools.Changed -= OnPoolsChanged;
        }
    }

    private async Task SweepLoggedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SweepAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(ex);
        }
    }

    private void OnPoolsChanged(object? sender, EventArgs e) => _poolsChanged.Notify();

    private async ValueTask<bool> SweepAsync(GatewayPool pool, RouteRecord route, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var idle = now - route.LastSeen;
        // Judged by the host its connections go to (RouteHosts, the controller's reading): not a re-pin to a host that is
        // not usable; a host now another pod of the same name (another uid) is gone.
        var (host, index) = RouteHosts.Resolve(pool, route);
        var input = new RouteSweepInput(route.Phase, host is not null, index >= 0, sessions.ConnectionsOf(pool.Key, route.Key), idle);
        switch (RouteLifecycle.Sweep(input, pool.ResumeFor, PendingTimeout, SoleGateway))
        {
            case RouteSweep.Fail:
                LogRouteFailed(pool.Key, route.Key, host!);
                await routes.UpdateAsync(route with { Phase = SessionRoutePhase.Failed, LastSeen = now }, cancellationToken).ConfigureAwait(false);
                return true;
            case RouteSweep.Adopt:
                LogRouteAdopted(pool.Key, route.Key, route.Host);
                await routes.UpdateAsync(route with { Phase = SessionRoutePhase.Disconnected, ActiveConnections = 0, LastSeen = now }, cancellationToken)
                    .ConfigureAwait(false);
                return true;
            case RouteSweep.Expire:
                LogRouteExpired(pool.Key, route.Key, route.Host, idle);
                var expired = await routes.UpdateAsync(route with { Phase = SessionRoutePhase.Expired, ActiveConnections = 0 }, cancellationToken)
                    .ConfigureAwait(false);
                await routes.DeleteAsync(expired, cancellationToken).ConfigureAwait(false);
                return true;
            case RouteSweep.Delete:
                await routes.DeleteAsync(route, cancellationToken).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }
}
