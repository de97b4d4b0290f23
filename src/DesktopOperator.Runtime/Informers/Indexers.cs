using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Informers;

/// <summary>
/// Standard index functions: each maps an object to the values it is found under. Names are stable constants
/// so controllers and the gateway ask for the same index.
/// </summary>
public static class Indexers
{
    public const string Namespace = "namespace";

    /// <summary>UID of the owner reference with <c>controller: true</c>.</summary>
    public const string ControllerOwnerUid = "controller-owner-uid";

    /// <summary>Each label as <c>key=value</c>.</summary>
    public const string Label = "label";

    public static IEnumerable<string> ByNamespace(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.NamespaceProperty is { Length: > 0 } ns ? [ns] : [];
    }

    public static IEnumerable<string> ByControllerOwnerUid(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true) is { Uid.Length: > 0 } owner ? [owner.Uid] : [];
    }

    public static IEnumerable<string> ByLabel(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.Labels is { } labels ? labels.Select(l => LabelValue(l.Key, l.Value)) : [];
    }

    public static string LabelValue(string key, string value) => $"{key}={value}";

    /// <summary>The three standard indexers, ready to pass to an informer or store.</summary>
    public static IReadOnlyDictionary<string, Func<IKubernetesObject<V1ObjectMeta>, IEnumerable<string>>> Standard { get; } =
        new Dictionary<string, Func<IKubernetesObject<V1ObjectMeta>, IEnumerable<string>>>(StringComparer.Ordinal)
        {
            [Namespace] = ByNamespace,
            [ControllerOwnerUid] = ByControllerOwnerUid,
            [Label] = ByLabel,
        };
}
