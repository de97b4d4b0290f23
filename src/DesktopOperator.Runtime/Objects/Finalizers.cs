using System.Text.Json.Nodes;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Objects;

/// <summary>
/// Adds and removes finalizers by JSON merge patch. The patch carries the resourceVersion the caller read, which
/// the API server treats as a precondition: if the object changed since, the patch fails with 409 Conflict and
/// the reconcile is retried (never a read-modify-write loop here), so a concurrent change is never overwritten.
/// </summary>
public static class Finalizers
{
    public static bool Has(IKubernetesObject<V1ObjectMeta> obj, string finalizer)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.Finalizers?.Contains(finalizer) == true;
    }

    /// <summary>Returns the object as stored after the patch, or <paramref name="obj"/> when the finalizer was there.</summary>
    public static Task<T> AddAsync<T>(IKubernetesClient client, T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Has(obj, finalizer)
            ? Task.FromResult(obj)
            : PatchAsync(client, obj, [.. obj.Metadata.Finalizers ?? [], finalizer], cancellationToken);
    }

    /// <summary>
    /// Returns the object as stored after the patch (once the last finalizer of a deleting object is removed the
    /// server deletes it), or <paramref name="obj"/> when the finalizer was not there.
    /// </summary>
    public static Task<T> RemoveAsync<T>(IKubernetesClient client, T obj, string finalizer, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        return !Has(obj, finalizer)
            ? Task.FromResult(obj)
            : PatchAsync(client, obj, [.. obj.Metadata.Finalizers!.Where(f => f != finalizer)], cancellationToken);
    }

    /// <summary>The merge patch body: the whole new list plus the resourceVersion precondition.</summary>
    public static string BuildPatch(IReadOnlyList<string> finalizers, string? resourceVersion)
    {
        ArgumentNullException.ThrowIfNull(finalizers);
        var array = new JsonArray();
        foreach (var f in finalizers)
        {
            array.Add(f);
        }

        var metadata = new JsonObject { ["finalizers"] = array };
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        return new JsonObject { ["metadata"] = metadata }.ToJsonString();
    }

    private static Task<T> PatchAsync<T>(IKubernetesClient client, T obj, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(client);
        var patch = new V1Patch(BuildPatch(finalizers, obj.Metadata.ResourceVersion), V1Patch.PatchType.MergePatch);
        return client.PatchAsync<T>(obj.Metadata.Name!, obj.Metadata.NamespaceProperty, patch, null, null, cancellationToken);
    }
}
