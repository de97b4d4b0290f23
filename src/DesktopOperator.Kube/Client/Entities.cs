using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>Facts about an entity that KubernetesClient's attribute does not carry.</summary>
public static class Entities
{
    /// <summary>Kinds whose objects live outside namespaces (the ones a controller may touch; others are namespaced).</summary>
    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "Node", "PersistentVolume", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding",
        "StorageClass", "PriorityClass", "APIService", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
        "ComponentStatus", "CSIDriver", "CSINode", "RuntimeClass", "IngressClass", "VolumeAttachment",
    };

    public static string GroupVersion(KubernetesEntityAttribute entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
    }

    public static bool IsNamespaced(KubernetesEntityAttribute entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        return !ClusterScoped.Contains(entity.Kind);
    }
}
