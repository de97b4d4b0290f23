using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinition; spec and status kept as JSON.</summary>
[KubernetesEntity(Group = "apiextensions.k8s.io", ApiVersion = "v1", Kind = "CustomResourceDefinition", PluralName = "customresourcedefinitions", Namespaced = false)]
public sealed class V1CustomResourceDefinition : KubernetesObject
{
    public JsonElement? Spec { get; set; }

    public JsonElement? Status { get; set; }
}
