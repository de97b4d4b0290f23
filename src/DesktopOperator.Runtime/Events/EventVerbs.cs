using System.Net;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DesktopOperator.Runtime.Events;

/// <summary>The two Event verbs the recorder needs: create, and a merge patch that reports a missing Event.</summary>
internal abstract class EventVerbs
{
    public abstract Task<Corev1Event> CreateAsync(Corev1Event created, CancellationToken cancellationToken);

    /// <summary>False when the Event is gone (the server's event TTL removed it).</summary>
    public abstract Task<bool> TryMergePatchAsync(string name, string namespaceName, string patch, CancellationToken cancellationToken);

    /// <summary>A failed write: the event is dropped and counted.</summary>
    public static bool IsWriteFailure(Exception e) =>
        e is KubeApiException or HttpOperationException or HttpRequestException or IOException;
}

/// <summary>KubernetesClient's typed verbs: <c>CoreV1</c> create and patch of namespaced Events.</summary>
internal sealed class PackageEventVerbs(IKubernetes kubernetes) : EventVerbs
{
    public override Task<Corev1Event> CreateAsync(Corev1Event created, CancellationToken cancellationToken) =>
        kubernetes.CoreV1.CreateNamespacedEventAsync(created, created.Metadata.NamespaceProperty, cancellationToken: cancellationToken);

    public override async Task<bool> TryMergePatchAsync(string name, string namespaceName, string patch, CancellationToken cancellationToken)
    {
        try
        {
            await kubernetes.CoreV1.PatchNamespacedEventAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), name, namespaceName, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}

/// <summary>Our <see cref="IKubernetesClient"/> (kept for callers and fakes written against it).</summary>
internal sealed class ClientEventVerbs(IKubernetesClient client) : EventVerbs
{
    public override Task<Corev1Event> CreateAsync(Corev1Event created, CancellationToken cancellationToken) => client.CreateAsync(created, cancellationToken);

    public override async Task<bool> TryMergePatchAsync(string name, string namespaceName, string patch, CancellationToken cancellationToken)
    {
        try
        {
            await client.PatchAsync<Corev1Event>(name, namespaceName, new V1Patch(patch, V1Patch.PatchType.MergePatch), null, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (e.StatusCode == 404)
        {
            return false;
        }
    }
}
