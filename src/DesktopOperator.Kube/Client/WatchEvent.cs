using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>One watch event (never <see cref="WatchEventType.Error"/>: that is thrown). For BOOKMARK,
/// <see cref="Resource"/> carries only metadata.resourceVersion.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Resource)
    where T : class, IKubernetesObject<V1ObjectMeta>;
