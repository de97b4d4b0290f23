namespace DesktopOperator.Metrics.Aggregation;

/// <summary>
/// Bucket counts, sum and count of one histogram series. A lock keeps the three consistent with each other
/// (a scrape never sees a count that disagrees with the buckets). Thread-safe.
/// </summary>
internal sealed class HistogramCell(int bucketCount)
{
    private readonly Lock _gate = new();
    private readonly long[] _counts = new long[bucketCount];
    private double _sum;
    private long _count;

    public void Record(int bucket, double value)
    {
        lock (_gate)
        {
            _counts[bucket]++;
            _sum += value;
            _count++;
        }
    }

    public (long[] Counts, double Sum, long Count) Snapshot()
    {
        lock (_gate)
        {
            return ((long[])_counts.Clone(), _sum, _count);
        }
    }
}
