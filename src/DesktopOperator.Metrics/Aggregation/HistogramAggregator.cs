using System.Diagnostics.Metrics;
using System.Numerics;
using DesktopOperator.Metrics.Prometheus;

namespace DesktopOperator.Metrics.Aggregation;

/// <summary>
/// <c>Histogram&lt;T&gt;</c>: cumulative-ready bucket counts, sum and count per label set. Bounds come from
/// <c>InstrumentAdvice&lt;T&gt;.HistogramBucketBoundaries</c> when the instrument gives them, else from a default
/// suited to the base unit; either way they are in the base unit (seconds, bytes).
/// </summary>
internal sealed class HistogramAggregator : InstrumentAggregator
{
    // Prometheus client defaults, for durations in seconds.
    private static readonly double[] SecondsBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // Powers of four from 64 B to 64 MiB: message and transfer sizes.
    private static readonly double[] BytesBounds = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    // OpenTelemetry's default explicit bounds, for anything else.
    private static readonly double[] OtherBounds = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly SeriesMap<HistogramCell> _series;

    public HistogramAggregator(Instrument instrument, int maxSeries)
        : base(instrument, PrometheusMetricType.Histogram)
    {
        Bounds = ResolveBounds(instrument, Unit);
        var buckets = Bounds.Length + 1;
        _series = new(() => new HistogramCell(buckets), maxSeries);
    }

    public double[] Bounds { get; }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        var scaled = Unit.ToBase(value);
        var index = Array.BinarySearch(Bounds, scaled);
        _series.Get(tags).Record(index >= 0 ? index : ~index, scaled);
    }

    public override void Collect(MetricFamily family)
    {
        foreach (var (labels, cell) in _series.Series)
        {
            var (counts, sum, count) = cell.Snapshot();
            family.AddHistogram(labels, new HistogramSnapshot(Bounds, counts, sum, count));
        }
    }

    private static double[] ResolveBounds(Instrument instrument, PrometheusUnit unit)
    {
        var advised = instrument switch
        {
            Histogram<byte> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<short> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<int> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<long> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<float> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<double> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            Histogram<decimal> h => ToDoubles(h.Advice?.HistogramBucketBoundaries),
            _ => null,
        };

        if (advised is not null)
        {
            var scaled = advised.Where(double.IsFinite).Select(unit.ToBase).Distinct().Order().ToArray();
            if (scaled.Length > 0)
            {
                return scaled;
            }
        }

        return unit.Suffix switch
        {
            "seconds" => SecondsBounds,
            "bytes" => BytesBounds,
            _ => OtherBounds,
        };
    }

    private static double[]? ToDoubles<T>(IReadOnlyList<T>? bounds)
        where T : struct, INumberBase<T> =>
        bounds?.Select(double.CreateSaturating).ToArray();
}
