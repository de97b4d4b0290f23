using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>The index: one entry per route, what readers see and what the server has; changed only under the gate.</summary>
internal sealed partial class SessionRouteStore
{
    private enum Owed
    {
        None,
        Write,
        Delete,
    }

    /// <summary>
    /// From the informer: a route the index did not know is added; a newer object replaces a route that owes nothing,
    /// and re-decides one that owes a write (<see cref="SessionRouteRebase"/>); while a write of the route is in flight
    /// the object is kept for when the write completes.
    /// </summary>
    private void Observe(SessionRoute obj)
    {
        if (SessionRouteMapper.ToRecord(obj) is not { } record)
        {
            return;
        }

        var id = (record.Pool, record.Key);
        bool changed;
        lock (_gate)
        {
            changed = ObserveUnderGate(id, obj, record);
        }

        if (changed)
        {
            RaiseChanged();
        }
    }

    private void ObserveDeleted(SessionRoute obj)
    {
        if (SessionRouteMapper.ToRecord(obj) is not { } record)
        {
            return;
        }

        var id = (record.Pool, record.Key);
        lock (_gate)
        {
            // A route not on the server yet, or one recreated since: this deletion is of an older object.
            if (!_entries.TryGetValue(id, out var entry) || entry.Server is null || IsNewer(entry.Server, obj))
            {
                return;
            }

            if (entry.InFlight)
            {
                Set(id, entry with { Observed = obj, ObservedGone = true });
                return;
            }

            // Deleted by another writer (the controller's expiry): its decision stands over anything owed here.
            Set(id, null);
        }

        RaiseChanged();
    }

    /// <summary>Caller holds the gate.</summary>
    private bool ObserveUnderGate((string Pool, string Key) id, SessionRoute obj, RouteRecord record)
    {
        if (!_entries.TryGetValue(id, out var entry))
        {
            Set(id, Synced(null, obj, record));
            return true;
        }

        if (!IsNewer(obj, entry.Server))
        {
            return false;
        }

        if (entry.InFlight)
        {
            if (entry.Observed is null || IsNewer(obj, entry.Observed))
            {
                Set(id, entry with { Observed = obj, ObservedGone = false });
            }

            return false;
        }

        return Rebase(id, entry, obj, record);
    }

    /// <summary>Caller holds the gate. The server's newer <paramref name="obj"/> meets the entry: see <see cref="SessionRouteRebase"/>.</summary>
    private bool Rebase((string Pool, string Key) id, Entry entry, SessionRoute obj, RouteRecord record)
    {
        if (entry.Owed != Owed.Write || entry.Route is null)
        {
            if (entry.Owed == Owed.Delete)
            {
                LogRebased(id.Pool, id.Key, "a delete decided on an older state is dropped; the server's route stands");
            }

            Set(id, Synced(entry, obj, record));
            return true;
        }

        var decidedOn = entry.Server is null ? null : SessionRouteMapper.ToRecord(entry.Server);
        var (route, owed) = SessionRouteRebase.Decide(decidedOn, entry.Route, record);
        if (!owed)
        {
            if (!SessionRouteRebase.SameState(route, entry.Route))
            {
                LogYielded(id.Pool, id.Key, record.Host, record.Phase);
            }

            Set(id, Synced(entry, obj, record));
            return true;
        }

        var version = SessionRouteRebase.SameState(route, entry.Route) ? entry.Route.Version : LocalVersion(obj);
        Set(id, entry with { Route = route with { Version = version }, Server = obj, Seq = entry.Seq + 1, Observed = null });
        return true;
    }

    /// <summary>Caller holds the gate. Replaces (or removes, for null) the entry, keeping the owed count.</summary>
    private void Set((string Pool, string Key) id, Entry? next)
    {
        _entries.TryGetValue(id, out var previous);
        var delta = (next is { Owed: not Owed.None } ? 1 : 0) - (previous is { Owed: not Owed.None } ? 1 : 0);
        if (next is null)
        {
            _entries.TryRemove(id, out _);
        }
        else
        {
            _entries[id] = next;
        }

        if (delta != 0)
        {
            Volatile.Write(ref _owed, _owed + delta);
        }
    }

    /// <summary>The entry for a route as the server has it, owing nothing.</summary>
    private static Entry Synced(Entry? previous, SessionRoute obj, RouteRecord? record = null) =>
        new(record ?? SessionRouteMapper.ToRecord(obj), obj, Owed.None)
        {
            Seq = (previous?.Seq ?? 0) + 1,
            LastStatusWrite = previous?.LastStatusWrite,
        };

    /// <summary>
    /// Whether <paramref name="candidate"/> is a later state than <paramref name="known"/>. resourceVersions are etcd
    /// revisions: compared as numbers so that a watch event older than the answer to our own write (which can arrive
    /// after it) is not taken for a newer change; compared for equality only if one is not a number.
    /// </summary>
    private static bool IsNewer(SessionRoute candidate, SessionRoute? known)
    {
        if (known is null)
        {
            return true;
        }

        var (a, b) = (candidate.Metadata.ResourceVersion, known.Metadata.ResourceVersion);
        return long.TryParse(a, out var x) && long.TryParse(b, out var y) ? x > y : a != b;
    }

    /// <summary>
    /// One route in the index. <see cref="Route"/> is what readers see (null: deleted here, the delete owed);
    /// <see cref="Server"/> the newest object known from the server (null: not created there yet).
    /// </summary>
    private sealed record Entry(RouteRecord? Route, SessionRoute? Server, Owed Owed)
    {
        /// <summary>Bumped by every change of <see cref="Route"/>: a write completing finds whether it still wrote the newest state.</summary>
        public long Seq { get; init; }

        /// <summary>When the owed write may go (a <see cref="TimeProvider"/> timestamp).</summary>
        public long DueAt { get; init; }

        /// <summary>When this store last wrote the route (a timestamp), for the status write interval.</summary>
        public long? LastStatusWrite { get; init; }

        /// <summary>A write of this route to the server runs; informer events wait in <see cref="Observed"/>.</summary>
        public bool InFlight { get; init; }

        public SessionRoute? Observed { get; init; }

        /// <summary>
        /// The owed state a caller's write that must go now was made on top of: already accepted (its caller was told it is
        /// stored), so it is kept and re-decided if that write conflicts.
        /// </summary>
        public RouteRecord? Accepted { get; init; }

        public bool ObservedGone { get; init; }
    }
}
