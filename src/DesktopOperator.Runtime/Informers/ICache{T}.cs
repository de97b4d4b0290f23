using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Informers;

/// <summary>
/// Read-only view of an informer's local cache. Thread-safe. Objects handed out are the cached instances and
/// are shared with every reader: treat them as immutable (copy before changing, e.g. by JSON round-trip).
/// Reads see a state at least as new as the last event delivered to handlers by the same informer.
/// </summary>
public interface ICache<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    int Count { get; }

    T? GetByKey(ObjectKey key);

    IReadOnlyList<T> List();

    /// <summary>Objects whose index <paramref name="indexName"/> produced <paramref name="indexedValue"/>.</summary>
    IReadOnlyList<T> ByIndex(string indexName, string indexedValue);

    /// <summary>Keys in the index; throws when no such indexer was registered.</summary>
    IReadOnlyList<string> IndexValues(string indexName);
}
