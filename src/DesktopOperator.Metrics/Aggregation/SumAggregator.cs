using System.Diagnostics.Metrics;
using DesktopOperator.Metrics.Prometheus;

namespace DesktopOperator.Metrics.Aggregation;

/// <summary>
/// <c>Counter&lt;T&gt;</c> (a Prometheus counter: negative and NaN increments are dropped so it never goes down)
/// and <c>UpDownCounter&lt;T&gt;</c> (a gauge): the running sum per label set.
/// </summary>
internal sealed class SumAggregator(Instrument instrument, bool monotonic, int maxSeries)
    : InstrumentAggregator(instrument, monotonic ? PrometheusMetricType.Counter : PrometheusMetricType.Gauge)
{
    private readonly SeriesMap<DoubleCell> _series = new(static () => new DoubleCell(), maxSeries);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value) || (monotonic && value < 0))
        {
            return;
        }

        _series.Get(tags).Add(Unit.ToBase(value));
    }

    public override void Collect(MetricFamily family)
    {
        foreach (var (labels, cell) in _series.Series)
        {
            family.AddValue(labels, cell.Value, sumDuplicates: true);
        }
    }
}
