using System.Collections.Concurrent;
using DesktopOperator.Runtime.Events;
using k8s;
using k8s.Models;

namespace DesktopOperator.Controllers.Tests.Pools.AtScale;

/// <summary>Counts the Events a reconciler records, by <c>"event Type Reason"</c>, and writes none. Thread-safe.</summary>
internal sealed class CountingEventRecorder : IEventRecorder
{
    private readonly ConcurrentDictionary<string, int> _events = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Events => new SortedDictionary<string, int>(_events, StringComparer.Ordinal);

    public int Count => _events.Values.Sum();

    public void Reset() => _events.Clear();

    public void Record(IKubernetesObject<V1ObjectMeta> regarding, string type, string reason, string message) =>
        _events.AddOrUpdate($"event {type} {reason}", 1, (_, n) => n + 1);
}
