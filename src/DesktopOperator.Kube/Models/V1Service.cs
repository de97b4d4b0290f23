using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

/// <summary>core/v1 Service.</summary>
[KubernetesEntity(ApiVersion = "v1", Kind = "Service", PluralName = "services")]
public sealed class V1Service : KubernetesObject
{
    public V1ServiceSpec? Spec { get; set; }

    public JsonElement? Status { get; set; }
}
