using System.Diagnostics.Metrics;
using DesktopOperator.Metrics.Prometheus;

namespace DesktopOperator.Metrics.Aggregation;

/// <summary>
/// Observable counters, up-down counters and gauges: their callbacks report current values (cumulative for
/// counters) during a scrape, so each scrape starts from nothing and shows exactly the label sets reported then.
/// The exporter runs one collection at a time.
/// </summary>
internal sealed class ObservedAggregator(Instrument instrument, PrometheusMetricType type, int maxSeries)
    : InstrumentAggregator(instrument, type)
{
    private readonly SeriesMap<DoubleCell> _series = new(static () => new DoubleCell(), maxSeries);

    public override void BeginCollect() => _series.Clear();

    // Within one collection a label set reported twice (two callbacks, or overflow) adds up, as counters should.
    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _series.Get(tags).Add(Unit.ToBase(value));

    public override void Collect(MetricFamily family)
    {
        foreach (var (labels, cell) in _series.Series)
        {
            family.AddValue(labels, cell.Value, sumDuplicates: Type == PrometheusMetricType.Counter);
        }
    }
}
