using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Informers;

/// <summary>
/// Receives an informer's notifications. Calls for one informer come from one thread at a time, in the order
/// the informer saw the changes (client-go's ResourceEventHandler). Handlers must be quick and never block:
/// enqueue a key and return. A handler that throws is logged and skipped; the others still run.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named after client-go's ResourceEventHandler, which readers know.")]
public interface IResourceEventHandler<in T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>
    /// A new key, or every key again after the initial list (<paramref name="isInInitialList"/> true) or when a
    /// handler is added to a running informer.
    /// </summary>
    void OnAdd(T obj, bool isInInitialList);

    /// <summary>
    /// A changed object. Also called with two objects of the same resourceVersion on periodic resync and for keys
    /// still present after a relist: handlers must not assume something changed.
    /// </summary>
    void OnUpdate(T oldObj, T newObj);

    /// <summary>The last state known for a deleted key (after a relist, possibly older than the real final state).</summary>
    void OnDelete(T obj);
}
