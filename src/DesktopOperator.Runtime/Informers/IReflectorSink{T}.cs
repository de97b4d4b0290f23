using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Informers;

/// <summary>Where a <see cref="Reflector{T}"/> delivers what it lists and watches.</summary>
internal interface IReflectorSink<in T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The complete current set, after a (re)list.</summary>
    void Replace(IReadOnlyList<T> items);

    /// <summary>One ADDED, MODIFIED or DELETED event (DELETED carries the last state).</summary>
    void Apply(WatchEventType type, T obj);
}
