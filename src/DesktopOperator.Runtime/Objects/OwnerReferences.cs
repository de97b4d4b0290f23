using System.Reflection;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Objects;

/// <summary>Owner references for garbage collection and for mapping owned objects back to their controller.</summary>
public static class OwnerReferences
{
    /// <summary>The reference with <c>controller: true</c>, or null.</summary>
    public static V1OwnerReference? GetControllerOf(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return obj.Metadata.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
    }

    public static bool IsControlledBy(IKubernetesObject<V1ObjectMeta> obj, IKubernetesObject<V1ObjectMeta> owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return GetControllerOf(obj) is { } r && r.Uid == owner.Metadata.Uid;
    }

    /// <summary>
    /// Makes <paramref name="owner"/> the controller of <paramref name="owned"/> (controller-runtime's
    /// SetControllerReference): replaces an existing reference to the same owner, refuses a second controller and a
    /// namespaced owner in another namespace (the garbage collector would delete the object at once).
    /// </summary>
    public static void SetControllerReference(IKubernetesObject<V1ObjectMeta> owner, IKubernetesObject<V1ObjectMeta> owned, bool blockOwnerDeletion = true)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(owned);
        var (apiVersion, kind) = TypeOf(owner);
        if (string.IsNullOrEmpty(owner.Metadata.Uid) || string.IsNullOrEmpty(owner.Metadata.Name))
        {
            throw new ArgumentException("the owner has no uid or name yet (create it first)", nameof(owner));
        }

        if (!string.IsNullOrEmpty(owner.Metadata.NamespaceProperty) && owner.Metadata.NamespaceProperty != owned.Metadata.NamespaceProperty)
        {
            throw new InvalidOperationException($"cross-namespace owner references are not allowed: {owner.Metadata.NamespaceProperty} owns {owned.Metadata.NamespaceProperty}");
        }

        if (GetControllerOf(owned) is { } existing && existing.Uid != owner.Metadata.Uid)
        {
            throw new InvalidOperationException($"{owned.Metadata.Name} is already controlled by {existing.Kind} {existing.Name}");
        }

        var references = owned.Metadata.OwnerReferences ??= [];
        for (var i = references.Count - 1; i >= 0; i--)
        {
            if (references[i].Uid == owner.Metadata.Uid)
            {
                references.RemoveAt(i);
            }
        }

        references.Add(new V1OwnerReference
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Name = owner.Metadata.Name,
            Uid = owner.Metadata.Uid,
            Controller = true,
            BlockOwnerDeletion = blockOwnerDeletion,
        });
    }

    private static (string ApiVersion, string Kind) TypeOf(IKubernetesObject<V1ObjectMeta> obj)
    {
        var entity = obj.GetType().GetCustomAttribute<KubernetesEntityAttribute>();
        var apiVersion = obj.ApiVersion ?? (entity is null ? null : Entities.GroupVersion(entity));
        var kind = obj.Kind ?? entity?.Kind;
        return apiVersion is null || kind is null
            ? throw new ArgumentException("the owner has no apiVersion/kind and its type no [KubernetesEntity]", nameof(obj))
            : (apiVersion, kind);
    }
}
