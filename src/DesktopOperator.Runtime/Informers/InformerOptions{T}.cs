using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Informers;

public sealed record InformerOptions<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Null watches all namespaces.</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>LIST page size; 500 is client-go's pager default.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Re-deliver every cached object as OnUpdate this often; null disables resync.</summary>
    public TimeSpan? ResyncPeriod { get; init; }

    /// <summary>Server-side watch timeout base; each watch asks for a random value in [base, 2·base), as client-go does.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A watch that delivers nothing (not even a bookmark, which the API server sends about once a minute) for this
    /// long is assumed half-open and re-opened from the last resourceVersion.
    /// </summary>
    public TimeSpan WatchQuietTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Reconnect backoff: client-go's reflector values (0.8 s doubling to 30 s, jitter up to +100%).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Applied to every object before it is cached (strip fields nothing reads, e.g. managedFields).</summary>
    public Func<T, T>? Transform { get; init; }

    /// <summary>Index functions by name; null gives <see cref="Indexers.Standard"/>.</summary>
    public IReadOnlyDictionary<string, Func<IKubernetesObject<V1ObjectMeta>, IEnumerable<string>>>? Indexers { get; init; }
}
