using System.Collections.Concurrent;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// Counts this gateway's open connections per route and writes what they imply into the route store: Active with
/// the count while any is open, Disconnected (LastSeen = when the last one closed) after. Writes are level-based and
/// conditional: each one reads the stored route, then the current count, and writes that on the route's version
/// (retried on conflict), so reordered or coalesced writes still end on the latest state, a concurrent writer (the
/// router, the expiry sweep) is never overwritten blindly, and a route deleted under a live connection is put back. With a synchronous store (in memory)
/// the write is done when <see cref="Begin"/> or the lease's Dispose returns. Thread-safe.
/// The count is this process's: with several gateway replicas sharing a store, each would need its own share of the
/// route (not done yet; standalone mode runs one gateway).
/// </summary>
internal sealed partial class SessionTracker(IRouteStore store, TimeProvider time, ILogger<SessionTracker> logger) : IDisposable
{
    private readonly ConcurrentDictionary<(string Pool, string Key), Counter> _counters = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>A connection to <paramref name="host"/> opened on route (pool, key); dispose the result when it closes.</summary>
    public IDisposable Begin(string pool, string key, AffinityKey kind, string protocol, string host)
    {
        var id = (pool, key);
        while (true)
        {
            var counter = _counters.GetOrAdd(id, static _ => new Counter());
            lock (counter)
            {
                // A counter retired by a concurrent last End is gone from the map: take a fresh one.
                if (counter.Retired)
                {
                    continue;
                }

                counter.Connections++;
                counter.Host = host;
                counter.Protocol = protocol;
                counter.Kind = kind;
            }

            Persist(id, counter);
            return new Lease(this, id, counter);
        }
    }

    /// <summary>Connections open on this gateway for the route.</summary>
    public int ConnectionsOf(string pool, string key)
    {
        if (!_counters.TryGetValue((pool, key), out var counter))
        {
            return 0;
        }

        lock (counter)
        {
            return counter.Connections;
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private void End((string Pool, string Key) id, Counter counter)
    {
        lock (counter)
        {
            counter.Connections--;
            if (counter.Connections == 0)
            {
                counter.Retired = true;
                _counters.TryRemove(new KeyValuePair<(string, string), Counter>(id, counter));
            }
        }

        Persist(id, counter);
    }

    // One write per counter in flight: a change while it runs marks the counter dirty, and the writer writes again
    // when it is done, reading the count then (level-based), so any number of changes meanwhile cost one more write.
    // Without this a burst of connections on one route (many clients behind one address) wrote once per open and
    // close, each write conflicting with the others.
    private void Persist((string Pool, string Key) id, Counter counter)
    {
        lock (counter)
        {
            counter.Dirty = true;
            if (counter.Writing)
            {
                return;
            }

            counter.Writing = true;
        }

        _ = PersistAsync(id, counter, _stopping.Token);
    }

    private async Task PersistAsync((string Pool, string Key) id, Counter counter, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await RouteRetry.OnConflictAsync(
                    (Tracker: this, Id: id, Counter: counter),
                    static (write, ct) => write.Tracker.WriteLevelAsync(write.Id, write.Counter, ct),
                    cancellationToken).ConfigureAwait(false);
                lock (counter)
                {
                    if (!counter.Dirty)
                    {
                        counter.Writing = false;
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed store write must not escape a fire-and-forget task; the next change writes the level again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogPersistFailed(ex, id.Pool, id.Key);
        }

        lock (counter)
        {
            counter.Writing = false;
        }
    }

    /// <summary>
    /// One attempt: reads the stored route, then the level, then writes it conditionally on the version read. The route
    /// is read before the level, so a write that commits read a level at least as new as any write before it.
    /// </summary>
    private async ValueTask<bool> WriteLevelAsync((string Pool, string Key) id, Counter counter, CancellationToken cancellationToken)
    {
        var stored = store.Find(id.Pool, id.Key);
        lock (counter)
        {
            // Cleared as the level is read: a later change makes the writer write again.
            counter.Dirty = false;
        }

        var (connections, host, protocol, kind) = LevelOf(id, counter);
        var now = time.GetUtcNow();
        if (stored is null)
        {
            if (connections == 0)
            {
                return false;
            }

            // Expired or deleted under a live connection: the connection still holds its slot.
            var created = await store.CreateAsync(
                new RouteRecord(id.Pool, id.Key, kind, protocol, host, false, SessionRoutePhase.Active, now, now, connections),
                cancellationToken).ConfigureAwait(false);
            if (!created.Created)
            {
                throw new RouteConflictException($"route {id.Pool} {id.Key} was created by another writer meanwhile");
            }

            LogRouteRestored(id.Pool, id.Key, host);
            return true;
        }

        var phase = RouteLifecycle.AfterConnections(stored.Phase, connections);
        var level = stored with { Phase = phase, ActiveConnections = connections, LastSeen = now };
        if (stored.HeldHost is not null && host == stored.Host)
        {
            // A re-pinned route whose connection went to its pin has moved there: it holds the pin now (its uid is the
            // controller's to record).
            level = level with { HeldHost = null, HostUid = null };
        }

        await store.UpdateAsync(level, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The route's level now: its live counter's (a counter retired by a last close may have been replaced by a new
    /// one for the next connection), else <paramref name="counter"/>'s.
    /// </summary>
    private (int Connections, string Host, string Protocol, AffinityKey Kind) LevelOf((string Pool, string Key) id, Counter counter)
    {
        var live = _counters.TryGetValue(id, out var current) ? current : counter;
        lock (live)
        {
            return (live.Retired ? 0 : live.Connections, live.Host, live.Protocol, live.Kind);
        }
    }

    private sealed class Counter
    {
        public int Connections { get; set; }

        public bool Retired { get; set; }

        /// <summary>A write of this counter's level runs.</summary>
        public bool Writing { get; set; }

        /// <summary>The level changed since the running write read it.</summary>
        public bool Dirty { get; set; }

        public string Host { get; set; } = "";

        public string Protocol { get; set; } = "";

        public AffinityKey Kind { get; set; }
    }

    private sealed class Lease(SessionTracker owner, (string Pool, string Key) id, Counter counter) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.End(id, counter);
            }
        }
    }
}
