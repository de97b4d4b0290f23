using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime;

/// <summary>
/// The identity of an object in caches and queues: <c>namespace/name</c> (just <c>name</c> for cluster-scoped
/// objects). Never the UID: a deleted and re-created object is the same key, as in client-go.
/// </summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    public static ObjectKey From(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new ObjectKey(string.IsNullOrEmpty(obj.Metadata.NamespaceProperty) ? null : obj.Metadata.NamespaceProperty, obj.Metadata.Name ?? "");
    }

    public static ObjectKey Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new ObjectKey(null, key) : new ObjectKey(key[..slash], key[(slash + 1)..]);
    }

    public override string ToString() => Namespace is null ? Name : $"{Namespace}/{Name}";
}
