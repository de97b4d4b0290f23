namespace DesktopOperator.Metrics.Aggregation;

/// <summary>
/// One histogram series at scrape time. <see cref="BucketCounts"/> are per bucket (not cumulative); the last one
/// counts values above every bound.
/// </summary>
internal sealed record HistogramSnapshot(double[] Bounds, long[] BucketCounts, double Sum, long Count)
{
    public HistogramSnapshot Merge(HistogramSnapshot other)
    {
        var counts = (long[])BucketCounts.Clone();
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] += other.BucketCounts[i];
        }

        return new(Bounds, counts, Sum + other.Sum, Count + other.Count);
    }

    public bool HasSameBounds(HistogramSnapshot other) => Bounds.AsSpan().SequenceEqual(other.Bounds);
}
