using System.Collections.Concurrent;
using DesktopOperator.Runtime;

namespace DesktopOperator.Controllers.Routes;

/// <summary>
/// Binds this process wrote that the informer cache may not show yet (client-go's "expectations"): without it, the
/// next route reconciled right after a bind would count the host's slots from a cache one write behind and overbook
/// it. An entry ends once the cache shows the written resourceVersion, the route is gone, or after
/// <see cref="MaxAge"/> (a watch that lost the event relists well within it). Thread-safe.
/// </summary>
internal sealed class BindLedger(TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<ObjectKey, Entry> _entries = new();

    public void Record(ObjectKey route, string pool, string host, string? resourceVersion) =>
        _entries[route] = new Entry(pool, host, resourceVersion, time.GetUtcNow());

    /// <summary>
    /// Hosts of <paramref name="pool"/> (namespace/name) taken by binds the cache does not show yet, read through
    /// <paramref name="cachedVersion"/> (the cached route's resourceVersion, null when gone); settled entries are dropped.
    /// </summary>
    public IReadOnlyList<(ObjectKey Route, string Host)> Unseen(string pool, Func<ObjectKey, string?> cachedVersion)
    {
        ArgumentNullException.ThrowIfNull(cachedVersion);
        var now = time.GetUtcNow();
        var unseen = new List<(ObjectKey, string)>();
        foreach (var (key, entry) in _entries)
        {
            if (entry.Pool != pool)
            {
                continue;
            }

            var cached = cachedVersion(key);
            if (cached is null || cached == entry.ResourceVersion || now - entry.At > MaxAge)
            {
                _entries.TryRemove(new KeyValuePair<ObjectKey, Entry>(key, entry));
                continue;
            }

            unseen.Add((key, entry.Host));
        }

        return unseen;
    }

    private sealed record Entry(string Pool, string Host, string? ResourceVersion, DateTimeOffset At);
}
