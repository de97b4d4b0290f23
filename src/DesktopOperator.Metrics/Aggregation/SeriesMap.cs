using System.Collections.Concurrent;
using DesktopOperator.Metrics.Prometheus;

namespace DesktopOperator.Metrics.Aggregation;

/// <summary>
/// The series of one instrument, by label set, capped at a maximum count (further label sets share the
/// <see cref="LabelSet.Overflow"/> series). Finding an existing series for string-valued tags allocates nothing.
/// Thread-safe; the cap may be overshot by at most the number of threads racing to add.
/// </summary>
internal sealed class SeriesMap<TSeries>
    where TSeries : class
{
    private readonly ConcurrentDictionary<LabelSet, TSeries> _series = new(LabelSetComparer.Instance);
    private readonly ConcurrentDictionary<LabelSet, TSeries>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
    private readonly Func<TSeries> _factory;
    private readonly int _limit;
    private int _count;

    public SeriesMap(Func<TSeries> factory, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _factory = factory;
        _limit = limit;
        _lookup = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    public TSeries Get(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (LabelSetComparer.CanLookUp(tags) && _lookup.TryGetValue(tags, out var found))
        {
            return found;
        }

        return Get(LabelSet.Create(tags));
    }

    /// <summary>Point-in-time enumeration that may or may not see series added concurrently.</summary>
    public IEnumerable<KeyValuePair<LabelSet, TSeries>> Series => _series;

    /// <summary>Drops every series (observable instruments start each collection afresh).</summary>
    public void Clear()
    {
        _series.Clear();
        Volatile.Write(ref _count, 0);
    }

    private TSeries Get(LabelSet labels)
    {
        if (_series.TryGetValue(labels, out var existing))
        {
            return existing;
        }

        if (Volatile.Read(ref _count) >= _limit)
        {
            return _series.GetOrAdd(LabelSet.Overflow, static (_, factory) => factory(), _factory);
        }

        var created = _factory();
        if (_series.TryAdd(labels, created))
        {
            Interlocked.Increment(ref _count);
            return created;
        }

        return _series[labels];
    }
}
