namespace DesktopOperator.Kube.Models;

/// <summary>A custom resource with a spec and a status subresource (KubeOps' <c>CustomKubernetesEntity</c>).</summary>
public abstract class CustomKubernetesEntity<TSpec, TStatus> : KubernetesObject
    where TSpec : new()
    where TStatus : new()
{
    public TSpec Spec { get; set; } = new();

    public TStatus? Status { get; set; }
}
