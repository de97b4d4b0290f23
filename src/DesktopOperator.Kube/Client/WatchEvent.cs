using DesktopOperator.Kube.Models;

namespace DesktopOperator.Kube.Client;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}

/// <summary>One watch event. For BOOKMARK, <see cref="Resource"/> carries only metadata.resourceVersion.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T Resource)
    where T : class, IKubernetesObject;
