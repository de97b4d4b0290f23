using System.Net.Http;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>
/// One write of one route's newest state to the API server. Writes of a route are serialised by its stripe (a
/// semaphore per hash bucket of routes); the index is changed only under the gate, so readers and local writes never
/// wait for the API server. A write that finds the route changed locally meanwhile records the server's answer and
/// leaves the newer state owed.
/// </summary>
internal sealed partial class SessionRouteStore
{
    private enum WriteResult
    {
        /// <summary>The route owed nothing (written meanwhile).</summary>
        Nothing,
        Written,

        /// <summary>The server's route changed (409, AlreadyExists, or gone): the index holds the server's state or the re-decided one.</summary>
        Conflict,

        /// <summary>The API server did not answer usefully: the write stays owed.</summary>
        Unreachable,

        /// <summary>The server refused the write for good (invalid, forbidden): the change is dropped.</summary>
        Failed,
    }

    private async Task<(WriteResult Result, Exception? Error)> WriteAsync((string Pool, string Key) id, bool inline, CancellationToken cancellationToken)
    {
        var stripe = StripeOf(id);
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await WriteUnderStripeAsync(id, inline, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<(WriteResult Result, Exception? Error)> WriteUnderStripeAsync((string Pool, string Key) id, bool inline, CancellationToken cancellationToken)
    {
        Entry? entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(id, out entry) || entry.Owed == Owed.None)
            {
                return (WriteResult.Nothing, null);
            }

            Set(id, entry with { InFlight = true });
        }

        var (ns, poolName) = SessionRouteMapper.SplitPoolKey(id.Pool);
        var name = entry.Server?.Metadata.Name ?? SessionRouteNames.For(poolName, id.Key);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.InlineWriteTimeout);
        var latest = entry.Server;
        Exception? failure;
        try
        {
            latest = await SendAsync(entry, name, ns, s => latest = s, timeout.Token).ConfigureAwait(false);
            Release(id, e => Completed(e, entry.Seq, latest));
            _metrics.Record(SessionRouteStoreMetrics.Ok);
            MarkReachable();
            return (WriteResult.Written, null);
        }
        catch (KubeApiException e) when (e is KubeConflictException or KubeAlreadyExistsException or KubeNotFoundException)
        {
            failure = null;
        }
        catch (Exception e) when (IsUnreachable(e, cancellationToken))
        {
            failure = e;
        }
        catch (KubeApiException e)
        {
            Release(id, current => latest is null ? null : Synced(current, latest));
            LogWriteDropped(id.Pool, id.Key, e.Message);
            _metrics.Record(SessionRouteStoreMetrics.Error);
            return (WriteResult.Failed, e);
        }
        catch (Exception)
        {
            // Cancelled by the caller, or an answer that could not be read: the state stays owed.
            Release(id, current => current with { Server = Newest(current.Server, latest) });
            throw;
        }

        if (failure is null)
        {
            try
            {
                var fresh = await ReadAsync(name, ns, timeout.Token).ConfigureAwait(false);
                if (inline && fresh is { Status: null })
                {
                    fresh = await AwaitStatusAsync(fresh, timeout.Token).ConfigureAwait(false);
                }

                Conflicted(id, fresh, inline);
                _metrics.Record(SessionRouteStoreMetrics.Conflict);
                MarkReachable();
                return (WriteResult.Conflict, null);
            }
            catch (Exception e) when (IsUnreachable(e, cancellationToken))
            {
                failure = e;
            }
            catch (Exception)
            {
                Release(id, current => current with { Server = Newest(current.Server, latest) });
                throw;
            }
        }

        Release(id, current => current with { Server = Newest(current.Server, latest) });
        LogKeptLocally(id.Pool, id.Key, failure.Message);
        _metrics.Record(SessionRouteStoreMetrics.Error);
        MarkUnreachable(failure);
        return (WriteResult.Unreachable, failure);
    }

    /// <summary>
    /// The requests for one entry: DELETE with a resourceVersion precondition; or POST (status is dropped on create)
    /// then the spec patch if the pin differs, then the status patch if the status differs. <paramref name="progress"/>
    /// hears each object the server answers, so a failure half-way still knows the newest version.
    /// </summary>
    private async Task<SessionRoute?> SendAsync(Entry entry, string name, string ns, Action<SessionRoute> progress, CancellationToken cancellationToken)
    {
        var server = entry.Server;
        if (entry.Owed == Owed.Delete)
        {
            try
            {
                var options = new DeleteOptions { PreconditionResourceVersion = server!.Metadata.ResourceVersion };
                await _client.DeleteAsync<SessionRoute>(name, ns, options, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeNotFoundException)
            {
                // Already gone: done.
            }

            return null;
        }

        var route = entry.Route!;
        if (server is null)
        {
            server = await _client.CreateAsync(SessionRouteMapper.ToNew(route), cancellationToken).ConfigureAwait(false);
            progress(server);
        }
        else if (!SessionRoutePatches.SpecMatches(server, route))
        {
            var patch = SessionRoutePatches.Spec(server.Metadata.ResourceVersion, route);
            server = await _client.PatchAsync<SessionRoute>(name, ns, patch, null, null, cancellationToken).ConfigureAwait(false);
            progress(server);
        }

        if (SessionRouteMapper.ToRecord(server) is not { } written || !SessionRouteRebase.SameState(written, route))
        {
            var patch = SessionRoutePatches.Status(server.Metadata.ResourceVersion, route, server.Status);
            server = await _client.PatchAsync<SessionRoute>(name, ns, patch, null, "status", cancellationToken).ConfigureAwait(false);
            progress(server);
        }

        return server;
    }

    private async Task<SessionRoute?> ReadAsync(string name, string ns, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetAsync<SessionRoute>(name, ns, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The entry after a successful write of the state numbered <paramref name="seq"/>; null: deleted.</summary>
    private Entry? Completed(Entry current, long seq, SessionRoute? written)
    {
        var now = _time.GetTimestamp();
        if (written is null)
        {
            // Deleted on the server; a route created here again meanwhile is owed as a new one.
            return current.Seq == seq ? null : current with { Server = null };
        }

        // Changed meanwhile: the newer state waits for its own interval (a change that must go now is written by its
        // caller, which waits for this write to finish).
        return current.Seq == seq
            ? Synced(current, written) with { LastStatusWrite = now }
            : current with { Server = written, LastStatusWrite = now, DueAt = Math.Max(current.DueAt, now + IntervalTicks()) };
    }

    /// <summary>
    /// After a conflict: on a caller's write the caller's change is undone (it reads the route again and decides again),
    /// while what this store had already accepted and owed before it (<see cref="Entry.Accepted"/>: the session status
    /// a tracker was told is stored) is re-decided on the server's route, as on an owed write
    /// (<see cref="SessionRouteRebase"/>). A route gone from the server is gone here too.
    /// </summary>
    private void Conflicted((string Pool, string Key) id, SessionRoute? fresh, bool inline)
    {
        lock (_gate)
        {
            var current = _entries[id] with { InFlight = false, Observed = null, ObservedGone = false, Accepted = null };
            if (fresh is null || SessionRouteMapper.ToRecord(fresh) is not { } record)
            {
                Set(id, null);
            }
            else if (inline && _entries[id].Accepted is null)
            {
                Set(id, Synced(current, fresh));
            }
            else
            {
                var kept = inline ? current with { Route = _entries[id].Accepted, Owed = Owed.Write } : current;
                Set(id, kept);
                Rebase(id, kept, fresh, record);
            }
        }

        _wake.Notify();
        RaiseChanged();
    }

    /// <summary>Ends the write: applies <paramref name="change"/>, then any object the informer delivered meanwhile.</summary>
    private void Release((string Pool, string Key) id, Func<Entry, Entry?> change)
    {
        lock (_gate)
        {
            var current = _entries[id];
            var next = change(current with { InFlight = false, Observed = null, ObservedGone = false, Accepted = null });
            Set(id, next);
            if (current.Observed is { } observed && (next?.Server is null || IsNewer(observed, next.Server)))
            {
                if (current.ObservedGone)
                {
                    if (next?.Server is not null)
                    {
                        Set(id, null);
                    }
                }
                else if (SessionRouteMapper.ToRecord(observed) is { } record)
                {
                    ObserveUnderGate(id, observed, record);
                }
            }
        }

        _wake.Notify();
        RaiseChanged();
    }

    private static SessionRoute? Newest(SessionRoute? a, SessionRoute? b) => a is null ? b : b is null || !IsNewer(b, a) ? a : b;

    /// <summary>Failures that say the API server is away, not that it refused: the write is kept and retried.</summary>
    private static bool IsUnreachable(Exception error, CancellationToken cancellationToken) => error switch
    {
        HttpRequestException or TimeoutException or IOException => true,
        KubeServerErrorException or KubeTooManyRequestsException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
