using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Events;

/// <summary>
/// Records core/v1 Events about an object (client-go's EventRecorder). Never blocks and never throws for API
/// trouble: events are best-effort and written in the background; when the buffer is full they are dropped and
/// counted. Thread-safe.
/// </summary>
public interface IEventRecorder
{
    /// <param name="type"><see cref="EventTypes.Normal"/> or <see cref="EventTypes.Warning"/>.</param>
    /// <param name="reason">CamelCase, e.g. <c>ScaledUp</c>.</param>
    void Record(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string message);
}
