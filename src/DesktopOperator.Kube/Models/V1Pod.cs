using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

/// <summary>core/v1 Pod.</summary>
[KubernetesEntity(ApiVersion = "v1", Kind = "Pod", PluralName = "pods")]
public sealed class V1Pod : KubernetesObject
{
    public V1PodSpec? Spec { get; set; }

    public V1PodStatus? Status { get; set; }
}
