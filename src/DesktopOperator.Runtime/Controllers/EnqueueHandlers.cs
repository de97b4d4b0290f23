using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Queues;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Controllers;

/// <summary>Event handlers that only put keys on a queue (handlers never do work).</summary>
public static class EnqueueHandlers
{
    /// <summary>
    /// For the primary resource: enqueue the object's own key on add and delete, and on update only when
    /// <c>metadata.generation</c> changed or <c>deletionTimestamp</c> is set, so our own status writes do not start
    /// reconciles. Re-deliveries of an unchanged object (same resourceVersion: resync, relist) still enqueue, so
    /// periodic resync keeps working; so do kinds without a generation.
    /// </summary>
    public static IResourceEventHandler<T> ForObject<T>(WorkQueue<ObjectKey> queue)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(queue);
        return new ResourceEventHandler<T>
        {
            Added = (obj, _) => queue.Add(ObjectKey.From(obj)),
            Updated = (old, current) =>
            {
                if (ShouldReconcileUpdate(old, current))
                {
                    queue.Add(ObjectKey.From(current));
                }
            },
            Deleted = obj => queue.Add(ObjectKey.From(obj)),
        };
    }

    /// <summary>
    /// For owned objects (pods): enqueue the owner named by the controller owner reference whose kind and API
    /// group match, in the owned object's namespace (or none, for a cluster-scoped owner). On update both the old
    /// and the new owner are enqueued when they differ.
    /// </summary>
    public static IResourceEventHandler<T> ForControllerOwner<T>(WorkQueue<ObjectKey> queue, string ownerGroup, string ownerKind, bool ownerNamespaced = true)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(queue);
        void Enqueue(T obj)
        {
            if (Objects.OwnerReferences.GetControllerOf(obj) is { } owner && owner.Kind == ownerKind && GroupOf(owner.ApiVersion) == ownerGroup)
            {
                queue.Add(new ObjectKey(ownerNamespaced ? obj.Metadata.NamespaceProperty : null, owner.Name));
            }
        }

        return new ResourceEventHandler<T>
        {
            Added = (obj, _) => Enqueue(obj),
            Updated = (old, current) =>
            {
                Enqueue(old);
                Enqueue(current);
            },
            Deleted = Enqueue,
        };
    }

    /// <summary>The generation predicate used by <see cref="ForObject{T}"/>.</summary>
    public static bool ShouldReconcileUpdate(IKubernetesObject<V1ObjectMeta> oldObj, IKubernetesObject<V1ObjectMeta> newObj)
    {
        ArgumentNullException.ThrowIfNull(oldObj);
        ArgumentNullException.ThrowIfNull(newObj);
        return newObj.Metadata.DeletionTimestamp is not null
            || newObj.Metadata.Generation is null
            || oldObj.Metadata.Generation != newObj.Metadata.Generation
            || oldObj.Metadata.ResourceVersion == newObj.Metadata.ResourceVersion;
    }

    private static string GroupOf(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? "" : apiVersion[..slash];
    }
}
