using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>The writes of <see cref="IRouteStore"/>: applied to the index at once, then written (now, or coalesced).</summary>
internal sealed partial class SessionRouteStore
{
    public async ValueTask<RouteCreation> CreateAsync(RouteRecord route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        cancellationToken.ThrowIfCancellationRequested();
        SessionRouteMapper.SplitPoolKey(route.Pool);
        var id = (route.Pool, route.Key);
        RouteRecord local;
        SessionRoute? unborn = null;
        lock (_gate)
        {
            _entries.TryGetValue(id, out var existing);
            if (existing is { Owed: Owed.None, InFlight: false, Server: { Status: null } server })
            {
                // Another writer's object without status yet: it is between its create and its status write.
                unborn = server;
                local = route;
            }
            else if (existing?.Route is { } stored)
            {
                return new RouteCreation(stored, Created: false);
            }
            else
            {
                EnsureRoom(existing);
                local = route with { Version = LocalVersion(existing?.Server) };
                var now = _time.GetTimestamp();
                Set(id, existing is null
                    ? new Entry(local, null, Owed.Write) { Seq = 1, DueAt = now }
                    : existing with { Route = local, Owed = Owed.Write, Seq = existing.Seq + 1, DueAt = now });
            }
        }

        if (unborn is not null)
        {
            return new RouteCreation(await AdoptUnbornAsync(id, unborn, cancellationToken).ConfigureAwait(false), Created: false);
        }

        RaiseChanged();
        if (_unreachable)
        {
            LogKeptLocally(route.Pool, route.Key, "the API server is unreachable");
            _wake.Notify();
            return new RouteCreation(local, Created: true);
        }

        var (result, error) = await WriteAsync(id, inline: true, cancellationToken).ConfigureAwait(false);
        if (result == WriteResult.Nothing)
        {
            return await SettledMeanwhileAsync(id, local, cancellationToken).ConfigureAwait(false);
        }

        return result switch
        {
            WriteResult.Conflict => Find(id.Pool, id.Key) is { } winner
                ? new RouteCreation(winner, Created: false)
                : throw new RouteConflictException($"route {route.Pool} {route.Key} was deleted while it was created"),
            WriteResult.Failed => throw error!,
            _ => new RouteCreation(Find(id.Pool, id.Key) ?? local, Created: true),
        };
    }

    public async ValueTask<RouteRecord> UpdateAsync(RouteRecord route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        cancellationToken.ThrowIfCancellationRequested();
        var id = (route.Pool, route.Key);
        RouteRecord stored;
        bool urgent;
        bool absorbed;
        lock (_gate)
        {
            if (!_entries.TryGetValue(id, out var entry) || entry.Route is null || entry.Route.Version != route.Version)
            {
                throw new RouteConflictException(route.Pool, route.Key, route.Version);
            }

            EnsureRoom(entry);
            urgent = !IsSessionStatus(entry.Route, route);
            absorbed = entry.Owed == Owed.Write && !urgent;
            var now = _time.GetTimestamp();
            var due = urgent ? now
                : absorbed ? entry.DueAt
                : Math.Max(now, (entry.LastStatusWrite ?? long.MinValue / 2) + IntervalTicks());
            stored = route with { Version = LocalVersion(entry.Server) };
            Set(id, entry with
            {
                Route = stored,
                Owed = Owed.Write,
                Seq = entry.Seq + 1,
                DueAt = due,
                Accepted = urgent && entry.Owed == Owed.Write ? entry.Route : null,
            });
        }

        if (absorbed)
        {
            _metrics.Record(SessionRouteStoreMetrics.Coalesced);
        }

        RaiseChanged();
        if (!urgent || _unreachable)
        {
            if (!absorbed)
            {
                _wake.Notify(); // an absorbed change rides on a write the background writer already waits for
            }

            return stored;
        }

        // The write that settles this decision may be another one than ours: the background writer may have taken the
        // entry first, or the informer may have brought another writer's newer route while ours waited for the stripe.
        // Either may have dropped our decision for the server's route (SessionRouteRebase), so it is reported as landed
        // only while the index still carries it; else the caller reads again and decides again, as on a 409.
        var (result, error) = await WriteAsync(id, inline: true, cancellationToken).ConfigureAwait(false);
        return result switch
        {
            WriteResult.Conflict => throw new RouteConflictException(route.Pool, route.Key, route.Version),
            WriteResult.Failed => throw error!,
            _ => Find(id.Pool, id.Key) is var current && SessionRouteRebase.Landed(current, stored)
                ? current!
                : throw new RouteConflictException(route.Pool, route.Key, route.Version),
        };
    }

    public async ValueTask DeleteAsync(RouteRecord route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        cancellationToken.ThrowIfCancellationRequested();
        var id = (route.Pool, route.Key);
        bool owed;
        lock (_gate)
        {
            if (!_entries.TryGetValue(id, out var entry) || entry.Route is null)
            {
                return;
            }

            if (entry.Route.Version != route.Version)
            {
                throw new RouteConflictException(route.Pool, route.Key, route.Version);
            }

            // A route only this store knows is simply forgotten; one on the server (or being created there) owes a delete.
            owed = entry.Server is not null || entry.InFlight;
            Set(id, owed
                ? entry with
                {
                    Route = null,
                    Owed = Owed.Delete,
                    Seq = entry.Seq + 1,
                    DueAt = _time.GetTimestamp(),
                    Accepted = entry.Owed == Owed.Write ? entry.Route : null,
                }
                : null);
        }

        RaiseChanged();
        if (!owed || _unreachable)
        {
            _wake.Notify();
            return;
        }

        // As for an update, the write that settles the delete may be another one than ours (the background writer's, or
        // one of this store's own writes queued ahead of it), and a conflict it met, or a newer object from the
        // informer, drops the delete for the server's route (SessionRouteRebase). The delete is reported done only
        // while the index no longer holds the route; else the caller reads again and decides again, as on a 409.
        var (result, error) = await WriteAsync(id, inline: true, cancellationToken).ConfigureAwait(false);
        if (result == WriteResult.Failed)
        {
            throw error!;
        }

        if (!SessionRouteRebase.Landed(Find(id.Pool, id.Key), decided: null))
        {
            throw new RouteConflictException(route.Pool, route.Key, route.Version);
        }
    }

    /// <summary>
    /// A change of the session's status on the same host (Bound/Active/Disconnected, last-seen, connections): coalesced.
    /// Anything else (a host bound or moved, a pin, Pending, Expired, Failed) is a decision the other replicas and the
    /// controller must see now.
    /// </summary>
    private static bool IsSessionStatus(RouteRecord current, RouteRecord next) =>
        current.Host == next.Host && current.Pinned == next.Pinned && current.HeldHost == next.HeldHost && current.Host is not null
        && RouteLifecycle.HoldsSlot(current.Phase) && next.Phase is SessionRoutePhase.Active or SessionRoutePhase.Disconnected;

    /// <summary>Caller holds the gate. Refuses a route that would owe a write when <see cref="SessionRouteStoreOptions.MaxOwedRoutes"/> already do.</summary>
    private void EnsureRoom(Entry? entry)
    {
        if (entry is not { Owed: not Owed.None } && _owed >= _options.MaxOwedRoutes)
        {
            throw new InvalidOperationException(
                $"{_owed} routes already owe a write to the API server (the bound is {_options.MaxOwedRoutes}); the change is refused until writes land");
        }
    }

    private long IntervalTicks() => (long)(_options.StatusWriteInterval.TotalSeconds * _time.TimestampFrequency);
}
