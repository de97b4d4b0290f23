using System.Reflection;
using DesktopOperator.Kube.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>The <see cref="KubernetesEntityAttribute"/> of <typeparamref name="T"/>, read once.</summary>
internal static class EntityInfo<T>
    where T : class, IKubernetesObject
{
    public static KubernetesEntityAttribute Entity { get; } =
        typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
        ?? throw new InvalidOperationException($"{typeof(T).Name} has no [KubernetesEntity] attribute: the client cannot tell its API path.");

    /// <summary>Fills apiVersion and kind when the caller left them empty, as KubeOps does on create.</summary>
    public static void Initialize(T obj)
    {
        obj.ApiVersion ??= Entity.GroupVersion;
        obj.Kind ??= Entity.Kind;
    }
}
