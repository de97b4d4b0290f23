using System.Collections.Concurrent;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// Counts this gateway's open connections per route and writes what they imply into the route store: Active with
/// the count while any is open, Disconnected (LastSeen = when the last one closed) after. Writes are level-based: each
/// one reads the current count under the route's lock and writes that, so reordered or coalesced writes still end on
/// the latest state, and a route deleted under a live connection is put back. With a synchronous store (in memory)
/// the write is done when <see cref="Begin"/> or the lease's Dispose returns. Thread-safe.
/// The count is this process's: with several gateway replicas sharing a store, each would need its own share of the
/// route (not done yet; standalone mode runs one gateway).
/// </summary>
internal sealed partial class SessionTracker(IRouteStore store, TimeProvider time, ILogger<SessionTracker> logger) : IDisposable
{
    private const int Stripes = 64;
    private readonly SemaphoreSlim[] _locks = CreateLocks();
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

    /// <summary>
    /// The lock every write of route (pool, key) through this process takes, so a sweep's read-decide-write does not
    /// interleave with a connection's. Striped: unrelated routes may share one; hold it briefly.
    /// </summary>
    public SemaphoreSlim LockOf(string pool, string key) =>
        _locks[(int)((uint)HashCode.Combine(StringComparer.Ordinal.GetHashCode(pool), StringComparer.Ordinal.GetHashCode(key)) % Stripes)];

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

    // One queued write per counter at a time: the write reads the count when it runs (level-based), so changes made
    // while it waits are carried by it. Without this a burst of connections on one route (many clients behind one
    // address) queued one store write per open and close, each holding a task until the route's lock came free.
    private void Persist((string Pool, string Key) id, Counter counter)
    {
        lock (counter)
        {
            if (counter.WriteQueued)
            {
                return;
            }

            counter.WriteQueued = true;
        }

        _ = PersistAsync(id, counter, _stopping.Token);
    }

    private async Task PersistAsync((string Pool, string Key) id, Counter counter, CancellationToken cancellationToken)
    {
        var gate = LockOf(id.Pool, id.Key);
        try
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        try
        {
            int connections;
            string host, protocol;
            AffinityKey kind;
            lock (counter)
            {
                // Cleared as the level is read: any later change queues a write of its own.
                counter.WriteQueued = false;
                (connections, host, protocol, kind) = (counter.Connections, counter.Host, counter.Protocol, counter.Kind);
            }

            var now = time.GetUtcNow();
            var stored = store.Find(id.Pool, id.Key);
            if (stored is null)
            {
                if (connections > 0)
                {
                    // Expired or deleted under a live connection: the connection still holds its slot.
                    LogRouteRestored(id.Pool, id.Key, host);
                    await store.CreateAsync(
                        new RouteRecord(id.Pool, id.Key, kind, protocol, host, false, SessionRoutePhase.Active, now, now, connections),
                        cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            var phase = RouteLifecycle.AfterConnections(stored.Phase, connections);
            await store.UpdateAsync(stored with { Phase = phase, ActiveConnections = connections, LastSeen = now }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // A failed store write must not escape a fire-and-forget task; the next write retries the level.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogPersistFailed(ex, id.Pool, id.Key);
        }
        finally
        {
            gate.Release();
        }
    }

    private static SemaphoreSlim[] CreateLocks()
    {
        var locks = new SemaphoreSlim[Stripes];
        for (var i = 0; i < locks.Length; i++)
        {
            locks[i] = new SemaphoreSlim(1, 1);
        }

        return locks;
    }

    private sealed class Counter
    {
        public int Connections { get; set; }

        public bool Retired { get; set; }

        /// <summary>A write of this counter's level waits for the route's lock (or runs but has not read it yet).</summary>
        public bool WriteQueued { get; set; }

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
