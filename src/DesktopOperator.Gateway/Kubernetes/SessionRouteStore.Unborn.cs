using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>
/// Adopting another writer's route that exists without status: the API server drops status on create, so between a
/// replica's POST and its <c>/status</c> write the route has no host yet, and a replica racing for the same user must
/// wait for it rather than adopt a hostless route.
/// </summary>
internal sealed partial class SessionRouteStore
{
    private static readonly TimeSpan UnbornWait = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Another writer's route that has no status yet: it is between its create and its status write (the API server
    /// drops status on create), so its host is not known. Read again, briefly (about a second, doubling from 5 ms),
    /// until the status is there; a route still without one (its writer died, or a person made it for the controller to
    /// bind) is returned as it is: Pending.
    /// </summary>
    private async Task<SessionRoute> AwaitStatusAsync(SessionRoute route, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var step = TimeSpan.FromMilliseconds(5);
        while (route.Status is null && _time.GetElapsedTime(started) < UnbornWait)
        {
            await Task.Delay(step, _time, cancellationToken).ConfigureAwait(false);
            step = step * 2 < TimeSpan.FromMilliseconds(100) ? step * 2 : TimeSpan.FromMilliseconds(100);
            if (await ReadAsync(route.Metadata.Name, route.Metadata.NamespaceProperty, cancellationToken).ConfigureAwait(false) is not { } fresh)
            {
                break;
            }

            route = fresh;
        }

        return route;
    }

    /// <summary>CreateAsync of a route whose object exists without status: wait for its status, then adopt it.</summary>
    private async Task<RouteRecord> AdoptUnbornAsync((string Pool, string Key) id, SessionRoute unborn, CancellationToken cancellationToken)
    {
        var route = unborn;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.InlineWriteTimeout);
            route = await AwaitStatusAsync(unborn, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            MarkUnreachable(e);
        }

        if (SessionRouteMapper.ToRecord(route) is { } record)
        {
            lock (_gate)
            {
                ObserveUnderGate(id, route, record);
            }

            RaiseChanged();
        }

        return Find(id.Pool, id.Key) ?? SessionRouteMapper.ToRecord(route) ?? throw new RouteConflictException($"route {id.Pool} {id.Key} was deleted while it was created");
    }

    /// <summary>
    /// CreateAsync whose write found nothing owed: the flush loop wrote it meanwhile (the route still holds this
    /// decision: created), or the informer brought another writer's route before the write began and this one yielded
    /// to it — then it was not created here, and the other writer's route (awaited if it has no status yet) is adopted.
    /// </summary>
    private async Task<RouteCreation> SettledMeanwhileAsync((string Pool, string Key) id, RouteRecord local, CancellationToken cancellationToken)
    {
        RouteRecord? stored;
        SessionRoute? unborn = null;
        lock (_gate)
        {
            _entries.TryGetValue(id, out var entry);
            stored = entry?.Route;
            if (stored is { } mine && mine.Host == local.Host && mine.Pinned == local.Pinned && RouteLifecycle.HoldsSlot(mine.Phase))
            {
                return new RouteCreation(mine, Created: true);
            }

            if (entry is { Owed: Owed.None, InFlight: false, Server: { Status: null } server })
            {
                unborn = server;
            }
        }

        if (unborn is not null)
        {
            return new RouteCreation(await AdoptUnbornAsync(id, unborn, cancellationToken).ConfigureAwait(false), Created: false);
        }

        return stored is not null
            ? new RouteCreation(stored, Created: false)
            : throw new RouteConflictException($"route {id.Pool} {id.Key} was deleted while it was created");
    }
}
