using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

/// <summary>core/v1 Namespace (cluster-scoped).</summary>
[KubernetesEntity(ApiVersion = "v1", Kind = "Namespace", PluralName = "namespaces", Namespaced = false)]
public sealed class V1Namespace : KubernetesObject
{
    public JsonElement? Spec { get; set; }

    public V1NamespaceStatus? Status { get; set; }
}
