using System.Diagnostics.Metrics;
using DesktopOperator.Metrics.Prometheus;

namespace DesktopOperator.Metrics.Aggregation;

/// <summary><c>Gauge&lt;T&gt;</c>: the last value recorded per label set.</summary>
internal sealed class LastValueAggregator(Instrument instrument, int maxSeries)
    : InstrumentAggregator(instrument, PrometheusMetricType.Gauge)
{
    private readonly SeriesMap<DoubleCell> _series = new(static () => new DoubleCell(), maxSeries);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _series.Get(tags).Set(Unit.ToBase(value));

    public override void Collect(MetricFamily family)
    {
        foreach (var (labels, cell) in _series.Series)
        {
            family.AddValue(labels, cell.Value, sumDuplicates: false);
        }
    }
}
