using System.Reflection;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>The <see cref="KubernetesEntityAttribute"/> of <typeparamref name="T"/>, read once.</summary>
internal static class EntityInfo<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public static KubernetesEntityAttribute Entity { get; } =
        typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
        ?? throw new InvalidOperationException($"{typeof(T).Name} has no [KubernetesEntity] attribute: the client cannot tell its API path.");

    /// <summary>"group/version", or "version" for the core group.</summary>
    public static string GroupVersion { get; } = Entities.GroupVersion(Entity);

    /// <summary>False for the cluster-scoped kinds (the attribute does not say: see <see cref="Entities.IsNamespaced"/>).</summary>
    public static bool Namespaced { get; } = Entities.IsNamespaced(Entity);

    /// <summary>Fills apiVersion and kind when the caller left them empty, as KubeOps does on create.</summary>
    public static void Initialize(T obj)
    {
        obj.ApiVersion ??= GroupVersion;
        obj.Kind ??= Entity.Kind;
        obj.Metadata ??= new V1ObjectMeta();
    }
}
