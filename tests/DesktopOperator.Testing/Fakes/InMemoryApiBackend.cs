using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Testing.Fakes;

/// <summary>
/// The shared state behind one or more <see cref="InMemoryKubernetesClient"/>s: objects as JSON, one global
/// resourceVersion counter, a bounded per-kind event history for watches, and the open watches. All state is
/// guarded by one lock, so every write gets a unique, increasing resourceVersion and reaches watches in order.
/// </summary>
internal sealed class InMemoryApiBackend(TimeProvider time, int historyLimit)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> _objects = [];
    private readonly Dictionary<string, List<HistoryEntry>> _history = [];
    private readonly Dictionary<string, long> _compactedAt = [];
    private readonly List<Watcher> _watchers = [];
    private long _resourceVersion;
    private long _uids;

    public TimeProvider Time => time;

    public int ListCalls;

    public int WatchCalls;

    public long ResourceVersion
    {
        get
        {
            lock (_gate)
            {
                return _resourceVersion;
            }
        }
    }

    public int OpenWatches
    {
        get
        {
            lock (_gate)
            {
                return _watchers.Count;
            }
        }
    }

    public T Run<T>(Func<State, T> action)
    {
        lock (_gate)
        {
            return action(new State(this));
        }
    }

    public Watcher OpenWatch(string kind, string? ns, WatchOptions? options)
    {
        lock (_gate)
        {
            var watcher = new Watcher(kind, ns, options ?? new WatchOptions());
            var from = options?.ResourceVersion;
            if (from is null or "0" or "")
            {
                foreach (var obj in Objects(kind).Values.Where(watcher.Matches))
                {
                    watcher.Channel.Writer.TryWrite(new WatchItem(WatchEventType.Added, obj.DeepClone().AsObject(), null));
                }
            }
            else
            {
                var since = long.Parse(from, CultureInfo.InvariantCulture);
                if (since < _compactedAt.GetValueOrDefault(kind))
                {
                    throw Errors.Gone(since);
                }

                foreach (var entry in History(kind).Where(e => e.ResourceVersion > since && watcher.Matches(e.Object)))
                {
                    watcher.Channel.Writer.TryWrite(new WatchItem(entry.Type, entry.Object.DeepClone().AsObject(), null));
                }
            }

            _watchers.Add(watcher);
            return watcher;
        }
    }

    public void CloseWatch(Watcher watcher)
    {
        lock (_gate)
        {
            _watchers.Remove(watcher);
        }
    }

    /// <summary>Ends every open watch: cleanly when <paramref name="error"/> is null, else by throwing it.</summary>
    public void BreakWatches(Exception? error)
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Channel.Writer.TryWrite(new WatchItem(WatchEventType.Bookmark, null, error ?? EndOfStream.Instance));
            }

            _watchers.Clear();
        }
    }

    public void SendBookmarks()
    {
        lock (_gate)
        {
            var bookmark = new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = Rv(_resourceVersion) } };
            foreach (var watcher in _watchers.Where(w => w.Options.AllowBookmarks))
            {
                watcher.Channel.Writer.TryWrite(new WatchItem(WatchEventType.Bookmark, bookmark.DeepClone().AsObject(), null));
            }
        }
    }

    /// <summary>Forgets all history: a watch from any version older than now fails with 410 Gone.</summary>
    public void CompactHistory()
    {
        lock (_gate)
        {
            foreach (var kind in _history.Keys.Concat(_objects.Keys).Distinct().ToList())
            {
                _history[kind] = [];
                _compactedAt[kind] = _resourceVersion;
            }
        }
    }

    private SortedDictionary<string, JsonObject> Objects(string kind) =>
        _objects.TryGetValue(kind, out var map) ? map : _objects[kind] = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);

    private List<HistoryEntry> History(string kind) => _history.TryGetValue(kind, out var list) ? list : _history[kind] = [];

    private static string Rv(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Operations valid only while the backend lock is held (see <see cref="Run{T}"/>).</summary>
    public readonly struct State(InMemoryApiBackend backend)
    {
        public IEnumerable<JsonObject> List(string kind) => backend.Objects(kind).Values;

        public JsonObject? Get(string kind, string key) => backend.Objects(kind).GetValueOrDefault(key);

        public long NextResourceVersion() => ++backend._resourceVersion;

        public string CurrentResourceVersion => Rv(backend._resourceVersion);

        public string NextUid() => $"00000000-0000-4000-8000-{++backend._uids:D12}";

        public string Now => backend.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        /// <summary>Stores (or removes, for Deleted) the object, stamps a new resourceVersion, records and fans out the event.</summary>
        public JsonObject Commit(string kind, string key, WatchEventType type, JsonObject obj)
        {
            var rv = NextResourceVersion();
            obj["metadata"]!["resourceVersion"] = Rv(rv);
            if (type == WatchEventType.Deleted)
            {
                backend.Objects(kind).Remove(key);
            }
            else
            {
                backend.Objects(kind)[key] = obj;
            }

            var history = backend.History(kind);
            history.Add(new HistoryEntry(rv, type, obj.DeepClone().AsObject()));
            if (history.Count > backend._historyLimit)
            {
                backend._compactedAt[kind] = history[0].ResourceVersion;
                history.RemoveAt(0);
            }

            foreach (var watcher in backend._watchers.Where(w => w.Kind == kind && w.Matches(obj)))
            {
                watcher.Channel.Writer.TryWrite(new WatchItem(type, obj.DeepClone().AsObject(), null));
            }

            return obj.DeepClone().AsObject();
        }
    }

    private readonly int _historyLimit = historyLimit;

    private sealed record HistoryEntry(long ResourceVersion, WatchEventType Type, JsonObject Object);

    /// <summary>One item on a watch channel: an event, or (with <see cref="End"/>) the stream's end or error.</summary>
    internal sealed record WatchItem(WatchEventType Type, JsonObject? Object, Exception? End);

    internal sealed class EndOfStream : Exception
    {
        public static readonly EndOfStream Instance = new();
    }

    internal sealed class Watcher(string kind, string? ns, WatchOptions options)
    {
        public string Kind => kind;

        public WatchOptions Options => options;

        public Channel<WatchItem> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<WatchItem>();

        public bool Matches(JsonObject obj) =>
            (ns is null || obj["metadata"]?["namespace"]?.GetValue<string>() == ns)
            && FakeLabelSelector.Matches(obj, options.LabelSelector, options.FieldSelector);
    }

    internal static class Errors
    {
        public static KubeApiException Gone(long since) =>
            Make(410, "Expired", $"too old resource version: {since}");

        public static KubeApiException NotFound(string kind, string name) => Make(404, "NotFound", $"{kind} \"{name}\" not found");

        public static KubeApiException AlreadyExists(string kind, string name) => Make(409, "AlreadyExists", $"{kind} \"{name}\" already exists");

        public static KubeApiException Conflict(string kind, string name) =>
            Make(409, "Conflict", $"Operation cannot be fulfilled on {kind} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");

        public static KubeApiException Make(int code, string reason, string message) =>
            new(code, new V1Status { ApiVersion = "v1", Kind = "Status", Status = "Failure", Code = code, Reason = reason, Message = message });
    }
}
