using System.Text.Json.Nodes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime;
using DesktopOperator.Runtime.Informers;
using k8s;
using k8s.Models;

namespace DesktopOperator.Controllers.Tests.Pools.AtScale;

/// <summary>
/// The writes of the pool reconciler, applied straight to the stores its caches read, as if the API server had
/// answered and the informers had seen the result: creates (a host pod goes through <c>kubelet</c>, which makes it
/// Running and Ready at once),
/// JSON merge patches with their resourceVersion precondition (409 when stale), deletes with uid and resourceVersion
/// preconditions (the pod is gone at once). Reads throw: the reconciler reads its caches, never the API. Not
/// thread-safe: one reconcile at a time.
/// </summary>
internal sealed class InMemoryPoolApi(
    IndexedStore<DesktopPool> pools,
    IndexedStore<V1Pod> pods,
    IndexedStore<V1PodDisruptionBudget> budgets,
    Action<V1Pod> kubelet,
    TimeProvider time) : IKubernetesClient
{
    private long _version = 1_000_000;

    public string NextVersion() => (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var store = Store<T>();
        if (store.GetByKey(ObjectKey.From(obj)) is not null)
        {
            throw new KubeAlreadyExistsException($"{obj.Metadata.Name} exists");
        }

        obj.Metadata.Uid = $"uid-{obj.Metadata.Name}";
        obj.Metadata.ResourceVersion = NextVersion();
        obj.Metadata.CreationTimestamp = time.GetUtcNow().UtcDateTime;
        if (obj is V1Pod pod)
        {
            kubelet(pod);
        }

        store.Upsert(obj);
        return Task.FromResult(obj);
    }

    public Task<T> PatchAsync<T>(string name, string? namespaceName, V1Patch patch, PatchOptions? options, string? subresource, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(patch);
        var store = Store<T>();
        var current = store.GetByKey(new ObjectKey(namespaceName, name)) ?? throw new KubeNotFoundException($"{name} not found");
        var body = JsonNode.Parse((string)patch.Content)!.AsObject();
        if (body["metadata"]?["resourceVersion"]?.GetValue<string>() is { } expected && expected != current.Metadata.ResourceVersion)
        {
            throw new KubeConflictException($"{name}: resourceVersion {expected} is stale");
        }

        var merged = MergePatch.Apply(JsonNode.Parse(KubeJson.Serialize(current)), body)!;
        merged["metadata"]!["resourceVersion"] = NextVersion();
        var updated = KubeJson.Deserialize<T>(merged.ToJsonString());
        store.Upsert(updated);
        return Task.FromResult(updated);
    }

    public Task<T?> DeleteAsync<T>(string name, string? namespaceName, DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var store = Store<T>();
        var key = new ObjectKey(namespaceName, name);
        var current = store.GetByKey(key) ?? throw new KubeNotFoundException($"{name} not found");
        if ((options?.PreconditionUid is { } uid && uid != current.Metadata.Uid)
            || (options?.PreconditionResourceVersion is { } version && version != current.Metadata.ResourceVersion))
        {
            throw new KubeConflictException($"{name}: precondition failed");
        }

        store.Remove(key);
        return Task.FromResult<T?>(null);
    }

    public Task<T> GetAsync<T>(string name, string? namespaceName, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => throw ReadsFromCache();

    public Task<KubernetesList<T>> ListAsync<T>(string? namespaceName, ListOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => throw ReadsFromCache();

    public IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? namespaceName, WatchOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => throw ReadsFromCache();

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException("the pool reconciler patches, it does not replace");

    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException("the pool reconciler patches status, it does not replace it");

    private static NotSupportedException ReadsFromCache() => new("the pool reconciler reads its informer caches, not the API");

    private IndexedStore<T> Store<T>()
        where T : class, IKubernetesObject<V1ObjectMeta> => typeof(T) switch
        {
            var t when t == typeof(V1Pod) => (IndexedStore<T>)(object)pods,
            var t when t == typeof(DesktopPool) => (IndexedStore<T>)(object)pools,
            var t when t == typeof(V1PodDisruptionBudget) => (IndexedStore<T>)(object)budgets,
            _ => throw new NotSupportedException($"no store for {typeof(T).Name}"),
        };
}
