using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube;

/// <summary>
/// Base of our custom resources: a KubernetesClient entity (<see cref="IKubernetesObject{V1ObjectMeta}"/>,
/// <see cref="ISpec{TSpec}"/>, <see cref="IStatus{TStatus}"/>), so that the package's verbs, serializer and
/// <see cref="KubernetesList{T}"/> take them as they take its own models.
/// </summary>
public abstract class CustomResource<TSpec, TStatus> : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>, IStatus<TStatus?>
    where TSpec : new()
    where TStatus : class
{
    [JsonPropertyName("apiVersion")]
    [JsonPropertyOrder(-3)]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind")]
    [JsonPropertyOrder(-2)]
    public string Kind { get; set; } = "";

    [JsonPropertyName("metadata")]
    [JsonPropertyOrder(-1)]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public TStatus? Status { get; set; }
}
