using System.Net;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DesktopOperator.Runtime.LeaderElection;

/// <summary>The three Lease verbs the elector needs: read (null when missing), create, merge patch.</summary>
internal abstract class LeaseVerbs(string namespaceName, string name)
{
    protected string Namespace { get; } = namespaceName;

    protected string Name { get; } = name;

    public abstract Task<V1Lease?> ReadAsync(CancellationToken cancellationToken);

    public abstract Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken);

    public abstract Task<V1Lease> MergePatchAsync(string patch, CancellationToken cancellationToken);

    /// <summary>A failed attempt worth retrying on the next period (conflict, server or network error).</summary>
    public static bool IsAttemptFailure(Exception e) =>
        e is KubeApiException or HttpOperationException or HttpRequestException or IOException or TimeoutException;
}

/// <summary>KubernetesClient's typed verbs: <c>CoordinationV1</c> read, create and patch.</summary>
internal sealed class PackageLeaseVerbs(IKubernetes kubernetes, string namespaceName, string name) : LeaseVerbs(namespaceName, name)
{
    public override async Task<V1Lease?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(Name, Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public override Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken) =>
        kubernetes.CoordinationV1.CreateNamespacedLeaseAsync(lease, Namespace, cancellationToken: cancellationToken);

    public override Task<V1Lease> MergePatchAsync(string patch, CancellationToken cancellationToken) =>
        kubernetes.CoordinationV1.PatchNamespacedLeaseAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), Name, Namespace, cancellationToken: cancellationToken);
}

/// <summary>Our <see cref="IKubernetesClient"/> (kept for callers and fakes written against it).</summary>
internal sealed class ClientLeaseVerbs(IKubernetesClient client, string namespaceName, string name) : LeaseVerbs(namespaceName, name)
{
    public override async Task<V1Lease?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetAsync<V1Lease>(Name, Namespace, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    public override Task<V1Lease> CreateAsync(V1Lease lease, CancellationToken cancellationToken) => client.CreateAsync(lease, cancellationToken);

    public override Task<V1Lease> MergePatchAsync(string patch, CancellationToken cancellationToken) =>
        client.PatchAsync<V1Lease>(Name, Namespace, new V1Patch(patch, V1Patch.PatchType.MergePatch), null, null, cancellationToken);
}
