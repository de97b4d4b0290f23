using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>
/// Typed verbs over the Kubernetes REST API for any model carrying <see cref="KubernetesEntityAttribute"/>.
/// <para>
/// Contract: every method is safe to call concurrently. A non-2xx answer becomes a <see cref="KubeApiException"/>
/// (or one of its typed subclasses) carrying the server's <see cref="V1Status"/>. the namespace is
/// ignored for cluster-scoped kinds and must be set for namespaced ones (except list/watch, where null means all
/// namespaces). Writes send the object's <c>metadata.resourceVersion</c> as is: a stale one fails with
/// a KubeApiException with reason Conflict (409), which callers retry by requeueing, never in a loop here.
/// </para>
/// </summary>
public interface IKubernetesClient
{
    Task<T> GetAsync<T>(string name, string? namespaceName, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>One page; follow <see cref="KubernetesList{T}.Metadata"/>.Continue for the next.</summary>
    Task<KubernetesList<T>> ListAsync<T>(string? namespaceName, ListOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// Events in server order until the server ends the stream, the token is cancelled (a clean stop, no
    /// exception), or an <c>ERROR</c> event arrives (thrown as <see cref="KubeApiException"/>; 410 Expired is
    /// a KubeApiException with code 410). BOOKMARK events are yielded when <see cref="WatchOptions.AllowBookmarks"/>.
    /// </summary>
    IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? namespaceName, WatchOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PUT of the main resource (the server ignores status when the kind has a status subresource).</summary>
    Task<T> ReplaceAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PUT of the <c>/status</c> subresource (the server ignores everything but status).</summary>
    Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>PATCH with the given body; <paramref name="subresource"/> is e.g. <c>status</c> or null.</summary>
    Task<T> PatchAsync<T>(string name, string? namespaceName, V1Patch patch, PatchOptions? options, string? subresource, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;

    /// <summary>
    /// DELETE. Returns the object when the server kept it (finalizers, graceful pod deletion), null when the
    /// server answered with a Success Status (gone at once).
    /// </summary>
    Task<T?> DeleteAsync<T>(string name, string? namespaceName, DeleteOptions? options, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}
