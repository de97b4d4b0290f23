using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Informers;

/// <summary>
/// A list+watch of one resource type kept in a local indexed cache, shared by every consumer in the process
/// (client-go's SharedIndexInformer).
/// <para>
/// Guarantees: the cache is updated before handlers hear of the change, so a handler (or a worker it wakes)
/// reads a state at least that new. Handlers are called on one thread per informer, in the order the informer
/// observed changes, and never concurrently with each other. Notifications are level hints, not a log: an
/// intermediate state may be skipped (after a dropped watch or a relist), and a deletion seen only through a
/// relist carries the last state the cache held. <see cref="IInformerSync.HasSynced"/> turns true once the first complete list
/// is in the cache and its notifications have reached every handler registered before it, and never turns false.
/// </para>
/// </summary>
public interface ISharedInformer<T> : IInformerSync
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    ICache<T> Cache { get; }

    /// <summary>The resourceVersion of the last list, watch event or bookmark applied; null before the first list.</summary>
    string? LastSyncResourceVersion { get; }

    /// <summary>
    /// Registers a handler; on a running informer it first receives OnAdd for every cached object. Dispose the
    /// result to stop delivery (a notification already being delivered may still arrive).
    /// </summary>
    IDisposable AddEventHandler(IResourceEventHandler<T> handler);
}
