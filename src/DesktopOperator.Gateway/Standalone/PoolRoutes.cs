using System.Collections.Concurrent;
using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Standalone;

/// <summary>
/// One pool's routes in <see cref="RouteIndex"/>: the map by key, and the list of them as last read, kept until the
/// next write. Thread-safe without locks: a writer changes <see cref="ByKey"/> and then calls <see cref="Changed()"/>;
/// a list is kept only if no write completed while it was built (the version it was built at is still current), so a
/// reader never gets a list older than the last write that completed before its call.
/// </summary>
internal sealed class PoolRoutes
{
    private long _version;
    private Snapshot? _list;

    public ConcurrentDictionary<string, RouteRecord> ByKey { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<RouteRecord> List()
    {
        var version = Interlocked.Read(ref _version);
        if (Volatile.Read(ref _list) is { } cached && cached.Version == version)
        {
            return cached.Routes;
        }

        var routes = ByKey.Select(static entry => entry.Value).ToArray(); // the enumerator takes no lock, unlike Values
        Volatile.Write(ref _list, new Snapshot(version, routes));
        return routes;
    }

    /// <summary>After a write to <see cref="ByKey"/>: the cached list is stale.</summary>
    public void Changed() => Interlocked.Increment(ref _version);

    /// <summary>Marks a write that took effect (<paramref name="written"/>) and passes its result on.</summary>
    public bool Changed(bool written)
    {
        if (written)
        {
            Changed();
        }

        return written;
    }

    private sealed record Snapshot(long Version, RouteRecord[] Routes);
}
