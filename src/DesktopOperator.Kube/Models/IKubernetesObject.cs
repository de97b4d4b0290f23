namespace DesktopOperator.Kube.Models;

/// <summary>
/// An object the API server stores: apiVersion, kind and metadata. Shaped like KubernetesClient's
/// <c>IKubernetesObject&lt;V1ObjectMeta&gt;</c> so that swapping that library in stays one adapter.
/// </summary>
public interface IKubernetesObject
{
    string? ApiVersion { get; set; }

    string? Kind { get; set; }

    V1ObjectMeta Metadata { get; set; }
}
