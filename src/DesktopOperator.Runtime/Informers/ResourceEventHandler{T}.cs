using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Informers;

/// <summary>An <see cref="IResourceEventHandler{T}"/> built from delegates; a missing delegate ignores the event.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named after client-go's ResourceEventHandler, which readers know.")]
public sealed class ResourceEventHandler<T> : IResourceEventHandler<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    public Action<T, bool>? Added { get; init; }

    public Action<T, T>? Updated { get; init; }

    public Action<T>? Deleted { get; init; }

    public void OnAdd(T obj, bool isInInitialList) => Added?.Invoke(obj, isInInitialList);

    public void OnUpdate(T oldObj, T newObj) => Updated?.Invoke(oldObj, newObj);

    public void OnDelete(T obj) => Deleted?.Invoke(obj);
}
