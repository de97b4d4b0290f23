using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Testing.Fakes;

/// <summary>
/// An in-process <see cref="IKubernetesClient"/> with the API server semantics the runtime relies on: a global
/// increasing resourceVersion, 409 on a stale resourceVersion (updates and merge patches that carry one),
/// generation bumped on spec changes, status written only through <c>/status</c>, finalizers and
/// deletionTimestamp, paged lists (<c>limit</c>/<c>continue</c>), watches from a resourceVersion replayed from a
/// bounded history (410 Expired when too old), DELETED events carrying the last state, and bookmarks.
/// Faults: <see cref="Fault"/> fails calls of this client; <see cref="BreakWatches"/> drops or fails open
/// watches; <see cref="CompactHistory"/> makes every older resourceVersion expire.
/// <see cref="CreateSibling"/> gives a second client over the same objects with its own faults (two replicas).
/// Differences from a real server: a continued list shows current objects, not the first page's snapshot;
/// only merge patches are supported; no admission, validation or garbage collection.
/// </summary>
public sealed class InMemoryKubernetesClient : IKubernetesClient
{
    private readonly InMemoryApiBackend _backend;

    public InMemoryKubernetesClient(TimeProvider? time = null, int historyLimit = 100_000)
        : this(new InMemoryApiBackend(time ?? TimeProvider.System, historyLimit))
    {
    }

    private InMemoryKubernetesClient(InMemoryApiBackend backend) => _backend = backend;

    /// <summary>Called before every call of this client; a returned exception is thrown instead of running it.</summary>
    public Func<FakeCall, Exception?>? Fault { get; set; }

    public int ListCalls => Volatile.Read(ref _backend.ListCalls);

    public int WatchCalls => Volatile.Read(ref _backend.WatchCalls);

    public int OpenWatches => _backend.OpenWatches;

    public long ResourceVersion => _backend.ResourceVersion;

    public InMemoryKubernetesClient CreateSibling() => new(_backend);

    public void SendBookmarks() => _backend.SendBookmarks();

    /// <summary>Ends open watches: cleanly (null), or by throwing <paramref name="error"/> from the stream.</summary>
    public void BreakWatches(Exception? error = null) => _backend.BreakWatches(error);

    public void CompactHistory() => _backend.CompactHistory();

    /// <summary>Open watches fail as a real server's ERROR event with a 410 Expired Status does.</summary>
    public void InjectWatchGone() => _backend.BreakWatches(Error(410, "Expired", "The resourceVersion for the provided watch is too old."));

    public static KubeApiException Error(int code, string reason, string message) => InMemoryApiBackend.Errors.Make(code, reason, message);

    public Task<T> GetAsync<T>(string name, string? namespaceName, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Check<T>("get", namespaceName, name);
        var kind = Kind<T>();
        return Task.FromResult(_backend.Run(s => From<T>(s.Get(kind, Key(namespaceName, name)) ?? throw InMemoryApiBackend.Errors.NotFound(kind, name))));
    }

    public Task<KubernetesList<T>> ListAsync<T>(string? namespaceName, ListOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Check<T>("list", namespaceName, null);
        Interlocked.Increment(ref _backend.ListCalls);
        var kind = Kind<T>();
        return Task.FromResult(_backend.Run(s =>
        {
            var (listRv, after) = DecodeContinue(options?.Continue);
            var matching = s.List(kind)
                .Where(o => namespaceName is null || o["metadata"]?["namespace"]?.GetValue<string>() == namespaceName)
                .Where(o => FakeLabelSelector.Matches(o, options?.LabelSelector, options?.FieldSelector))
                .Where(o => after is null || string.CompareOrdinal(KeyOf(o), after) > 0)
                .ToList();
            var page = options?.Limit is > 0 and var limit ? matching.Take(limit).ToList() : matching;
            var list = new KubernetesList<T>([], "v1", "List", new V1ListMeta());
            list.Metadata.ResourceVersion = listRv ?? s.CurrentResourceVersion;
            if (page.Count < matching.Count)
            {
                list.Metadata.ContinueProperty = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{list.Metadata.ResourceVersion}|{KeyOf(page[^1])}"));
                list.Metadata.RemainingItemCount = matching.Count - page.Count;
            }

            list.Items = page.Select(From<T>).ToList();
            return list;
        }));
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? namespaceName, WatchOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Check<T>("watch", namespaceName, null);
        Interlocked.Increment(ref _backend.WatchCalls);
        await Task.Yield();
        var watcher = _backend.OpenWatch(Kind<T>(), namespaceName, options);
        try
        {
            while (await WaitAsync(watcher, cancellationToken))
            {
                while (watcher.Channel.Reader.TryRead(out var item))
                {
                    if (item.End is InMemoryApiBackend.EndOfStream)
                    {
                        yield break;
                    }

                    if (item.End is not null)
                    {
                        throw item.End;
                    }

                    yield return new WatchEvent<T>(item.Type, From<T>(item.Object!));
                }
            }
        }
        finally
        {
            _backend.CloseWatch(watcher);
        }
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var ns = IsNamespaced<T>() ? obj.Metadata.NamespaceProperty ?? throw Error(400, "BadRequest", "namespace is required") : null;
        Check<T>("create", ns, obj.Metadata.Name);
        var kind = Kind<T>();
        var json = ToJson(obj);
        return Task.FromResult(_backend.Run(s =>
        {
            var meta = json["metadata"]!.AsObject();
            var name = obj.Metadata.Name ?? (obj.Metadata.GenerateName is { } prefix ? prefix + s.NextUid()[^5..] : throw Error(400, "BadRequest", "name or generateName is required"));
            var key = Key(ns, name);
            if (s.Get(kind, key) is not null)
            {
                throw InMemoryApiBackend.Errors.AlreadyExists(kind, name);
            }

            meta["name"] = name;
            meta["namespace"] = ns;
            meta["uid"] = s.NextUid();
            meta["creationTimestamp"] = s.Now;
            meta["generation"] = 1L;
            meta.Remove("deletionTimestamp");
            return From<T>(s.Commit(kind, key, WatchEventType.Added, json));
        }));
    }

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var incoming = ToJson(obj);
        return MutateAsync<T>("replace", obj.Metadata.Name!, obj.Metadata.NamespaceProperty, current =>
        {
            if (HasStatus<T>())
            {
                incoming.Remove("status");
                if (current["status"] is { } status)
                {
                    incoming["status"] = status.DeepClone();
                }
            }

            return incoming;
        });
    }

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var incoming = ToJson(obj);
        return MutateAsync<T>("replacestatus", obj.Metadata.Name!, obj.Metadata.NamespaceProperty, current =>
        {
            current.Remove("status");
            if (incoming["status"] is { } status)
            {
                current["status"] = status.DeepClone();
            }

            current["metadata"]!["resourceVersion"] = incoming["metadata"]?["resourceVersion"]?.DeepClone();
            return current;
        });
    }

    public Task<T> PatchAsync<T>(string name, string? namespaceName, V1Patch patch, PatchOptions? options, string? subresource, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        if (patch.Type != V1Patch.PatchType.MergePatch || patch.Content is not string text)
        {
            throw Error(415, "UnsupportedMediaType", $"the fake supports merge patches only, not {patch.Type}");
        }

        var body = JsonNode.Parse(text)!.AsObject();
        return MutateAsync<T>("patch", name, namespaceName, current =>
        {
            if (subresource == "status")
            {
                body = new JsonObject { ["status"] = body["status"]?.DeepClone(), ["metadata"] = body["metadata"]?.DeepClone() };
            }
            else if (HasStatus<T>())
            {
                body.Remove("status");
            }

            return JsonMergePatch.Apply(current, body)!.AsObject();
        });
    }

    public Task<T?> DeleteAsync<T>(string name, string? namespaceName, DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Check<T>("delete", namespaceName, name);
        var kind = Kind<T>();
        return Task.FromResult(_backend.Run(s =>
        {
            var key = Key(namespaceName, name);
            var current = s.Get(kind, key) ?? throw InMemoryApiBackend.Errors.NotFound(kind, name);
            var meta = current["metadata"]!;
            if ((options?.PreconditionResourceVersion is { } rv && rv != meta["resourceVersion"]?.GetValue<string>())
                || (options?.PreconditionUid is { } uid && uid != meta["uid"]?.GetValue<string>()))
            {
                throw InMemoryApiBackend.Errors.Conflict(kind, name);
            }

            if (meta["finalizers"] is JsonArray { Count: > 0 })
            {
                if (meta["deletionTimestamp"] is not null)
                {
                    return From<T>(current);
                }

                var next = current.DeepClone().AsObject();
                next["metadata"]!["deletionTimestamp"] = s.Now;
                next["metadata"]!["deletionGracePeriodSeconds"] = 0;
                return From<T>(s.Commit(kind, key, WatchEventType.Modified, next));
            }

            s.Commit(kind, key, WatchEventType.Deleted, current.DeepClone().AsObject());
            return (T?)null;
        }));
    }

    private Task<T> MutateAsync<T>(string verb, string name, string? namespaceName, Func<JsonObject, JsonObject> change)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        Check<T>(verb, namespaceName, name);
        var kind = Kind<T>();
        return Task.FromResult(_backend.Run(s =>
        {
            var key = Key(namespaceName, name);
            var current = s.Get(kind, key) ?? throw InMemoryApiBackend.Errors.NotFound(kind, name);
            var next = change(current.DeepClone().AsObject());
            var meta = next["metadata"] as JsonObject ?? [];
            next["metadata"] = meta;
            var currentMeta = current["metadata"]!;
            if (meta["resourceVersion"]?.GetValue<string>() is { } rv && rv != currentMeta["resourceVersion"]!.GetValue<string>())
            {
                throw InMemoryApiBackend.Errors.Conflict(kind, name);
            }

            foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion" })
            {
                meta.Remove(field);
                if (currentMeta[field] is { } value)
                {
                    meta[field] = value.DeepClone();
                }
            }

            if (!JsonNode.DeepEquals(current["spec"], next["spec"]))
            {
                meta["generation"] = (currentMeta["generation"] is { } generation ? long.Parse(generation.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : 0L) + 1L;
            }

            if (JsonNode.DeepEquals(current, next))
            {
                return From<T>(current);
            }

            var deleting = meta["deletionTimestamp"] is not null && meta["finalizers"] is not JsonArray { Count: > 0 };
            return From<T>(s.Commit(kind, key, deleting ? WatchEventType.Deleted : WatchEventType.Modified, next));
        }));
    }

    private void Check<T>(string verb, string? ns, string? name)
    {
        if (Fault?.Invoke(new FakeCall(verb, typeof(T), ns, name)) is { } error)
        {
            throw error;
        }
    }

    private static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    private static string KeyOf(JsonObject obj) =>
        Key(obj["metadata"]?["namespace"]?.GetValue<string>(), obj["metadata"]!["name"]!.GetValue<string>());

    private static (string? Rv, string? After) DecodeContinue(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, null);
        }

        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|', 2);
        return (parts[0], parts[1]);
    }

    private static string Kind<T>() =>
        typeof(T).GetCustomAttribute<KubernetesEntityAttribute>() is { } a ? $"{Entities.GroupVersion(a)}/{a.PluralName}" : typeof(T).FullName!;

    private static bool IsNamespaced<T>() => typeof(T).GetCustomAttribute<KubernetesEntityAttribute>() is not { } a || Entities.IsNamespaced(a);

    private static bool HasStatus<T>() => typeof(T).GetProperty("Status") is not null;

    private static JsonObject ToJson<T>(T obj)
    {
        var json = JsonSerializer.SerializeToNode(obj, KubeJson.Options)!.AsObject();
        if (typeof(T).GetCustomAttribute<KubernetesEntityAttribute>() is { } a)
        {
            json["apiVersion"] = Entities.GroupVersion(a);
            json["kind"] = a.Kind;
        }

        return json;
    }

    private static T From<T>(JsonObject json) => json.Deserialize<T>(KubeJson.Options)!;

    private static async Task<bool> WaitAsync(InMemoryApiBackend.Watcher watcher, CancellationToken cancellationToken)
    {
        try
        {
            return await watcher.Channel.Reader.WaitToReadAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
