using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// The "etcd" of the test server: objects per storage key ordered by <c>namespace/name</c>, one global
/// resourceVersion counter, and a bounded history of changes that watches replay from. Callers hold <see cref="Gate"/>
/// around read-modify-write sequences; every commit and every subscription happens under it, so a watcher sees each
/// change exactly once and in resourceVersion order.
/// </summary>
internal sealed class ObjectStore
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _data = new(StringComparer.Ordinal);
    private readonly LinkedList<StoredEvent> _history = new();
    private readonly List<WatchSubscription> _subscriptions = [];
    private long _rv;
    private long _floor;
    private long _listFloor;

    public ObjectStore(long initialRv) => _rv = _floor = _listFloor = initialRv;

    public Lock Gate { get; } = new();

    /// <summary>How many changes watches can resume from; older resourceVersions answer 410 Expired.</summary>
    public int HistoryWindow { get; set; } = 10_000;

    /// <summary>Raised (under <see cref="Gate"/>) after each commit; must not block.</summary>
    public Action? Committed { get; set; }

    public long CurrentRv
    {
        get
        {
            lock (Gate)
            {
                return _rv;
            }
        }
    }

    /// <summary>A watch or exact list from an RV below this is too old.</summary>
    public long Floor
    {
        get
        {
            lock (Gate)
            {
                return _floor;
            }
        }
    }

    /// <summary>An exact or paged list from an RV below this is too old (etcd compaction; may be newer than <see cref="Floor"/>).</summary>
    public long ListFloor
    {
        get
        {
            lock (Gate)
            {
                return Math.Max(_floor, _listFloor);
            }
        }
    }

    /// <summary>Like etcd compaction: exact and paged lists before now get 410, watches still replay their history.</summary>
    public void CompactStorage()
    {
        lock (Gate)
        {
            _listFloor = _rv;
        }
    }

    public static string KeyOf(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    public JsonObject? Get(string storageKey, string key)
    {
        lock (Gate)
        {
            return _data.TryGetValue(storageKey, out var map) && map.TryGetValue(key, out var o) ? o : null;
        }
    }

    /// <summary>Snapshot of the objects whose key starts with <paramref name="prefix"/>, in key order.</summary>
    public List<KeyValuePair<string, JsonObject>> Scan(string storageKey, string prefix)
    {
        lock (Gate)
        {
            if (!_data.TryGetValue(storageKey, out var map))
            {
                return [];
            }

            return map.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        }
    }

    /// <summary>
    /// The objects under <paramref name="prefix"/> as they were at resourceVersion <paramref name="rv"/>, rebuilt by
    /// undoing the kept history after it (the caller checked <paramref name="rv"/> is not below the floor).
    /// </summary>
    public List<KeyValuePair<string, JsonObject>> SnapshotAt(string storageKey, string prefix, long rv)
    {
        lock (Gate)
        {
            var state = new SortedDictionary<string, JsonObject>(Scan(storageKey, prefix).ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
            var undone = new HashSet<string>(StringComparer.Ordinal);
            foreach (var e in _history)
            {
                if (e.Rv <= rv || e.StorageKey != storageKey || !e.Key.StartsWith(prefix, StringComparison.Ordinal) || !undone.Add(e.Key))
                {
                    continue;
                }

                if (e.Type == "ADDED" || e.Previous is null)
                {
                    state.Remove(e.Key);
                }
                else
                {
                    state[e.Key] = e.Previous;
                }
            }

            return [.. state];
        }
    }

    public IEnumerable<string> StorageKeys()
    {
        lock (Gate)
        {
            return _data.Keys.ToList();
        }
    }

    /// <summary>Stores <paramref name="obj"/> (ADDED or MODIFIED) with a new resourceVersion, which is returned.</summary>
    public long Put(string storageKey, string key, JsonObject obj)
    {
        lock (Gate)
        {
            if (!_data.TryGetValue(storageKey, out var map))
            {
                map = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
                _data[storageKey] = map;
            }

            map.TryGetValue(key, out var previous);
            Materialize(obj);
            var rv = ++_rv;
            obj["metadata"]!["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            map[key] = obj;
            Record(new StoredEvent(rv, previous is null ? "ADDED" : "MODIFIED", storageKey, key, obj, previous));
            return rv;
        }
    }

    /// <summary>Removes the object; the DELETED event carries it with the deletion's resourceVersion.</summary>
    public JsonObject? Remove(string storageKey, string key)
    {
        lock (Gate)
        {
            if (!_data.TryGetValue(storageKey, out var map) || !map.Remove(key, out var previous))
            {
                return null;
            }

            var rv = ++_rv;
            var deleted = previous.DeepClone().AsObject();
            Materialize(deleted);
            deleted["metadata"]!["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
            Record(new StoredEvent(rv, "DELETED", storageKey, key, deleted, previous));
            return deleted;
        }
    }

    /// <summary>Forgets all history: any watch from an RV before now gets 410.</summary>
    public void Compact()
    {
        lock (Gate)
        {
            _history.Clear();
            _floor = _listFloor = _rv;
        }
    }

    /// <summary>
    /// Registers a watcher on <paramref name="storageKey"/> and returns the history after <paramref name="fromRv"/>
    /// (null = none). Throws a 410 when that RV is older than the kept history.
    /// </summary>
    public WatchSubscription Subscribe(string storageKey, long? fromRv, out List<StoredEvent> replay)
    {
        lock (Gate)
        {
            replay = [];
            if (fromRv is { } from)
            {
                if (from < _floor)
                {
                    throw new ApiError(410, StatusBodies.Failure(410, "Expired", $"too old resource version: {from} ({_floor + 1})", null));
                }

                replay.AddRange(_history.Where(e => e.Rv > from && e.StorageKey == storageKey));
            }

            var sub = new WatchSubscription(this, storageKey);
            _subscriptions.Add(sub);
            return sub;
        }
    }

    internal void Unsubscribe(WatchSubscription sub)
    {
        lock (Gate)
        {
            _subscriptions.Remove(sub);
        }
    }

    /// <summary>
    /// Parsed JsonObjects build their children lazily on first access, which is not thread-safe; stored objects are
    /// read by many requests at once, so every node is built here, under the lock, before anyone else sees it.
    /// </summary>
    internal static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    Materialize(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Materialize(child);
                }

                break;
        }
    }

    private void Record(StoredEvent e)
    {
        _history.AddLast(e);
        while (_history.Count > HistoryWindow)
        {
            _floor = _history.First!.Value.Rv;
            _history.RemoveFirst();
        }

        foreach (var sub in _subscriptions)
        {
            if (sub.StorageKey == e.StorageKey)
            {
                sub.Writer.TryWrite(e);
            }
        }

        Committed?.Invoke();
    }
}
