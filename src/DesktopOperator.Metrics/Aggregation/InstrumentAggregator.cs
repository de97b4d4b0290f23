using System.Diagnostics.Metrics;
using DesktopOperator.Metrics.Prometheus;

namespace DesktopOperator.Metrics.Aggregation;

/// <summary>
/// Aggregates one instrument's measurements into per-label-set series and hands them to a scrape.
/// <see cref="Record"/> may run on any thread at any time, concurrently with <see cref="Collect"/>.
/// </summary>
internal abstract class InstrumentAggregator
{
    protected InstrumentAggregator(Instrument instrument, PrometheusMetricType type)
    {
        Instrument = instrument;
        Type = type;
        Unit = PrometheusUnit.Resolve(instrument.Unit);
        Name = PrometheusNaming.GetMetricName(instrument.Name, Unit, type);
        Help = string.IsNullOrWhiteSpace(instrument.Description)
            ? $"{instrument.Name} (meter {instrument.Meter.Name})"
            : instrument.Description;
    }

    public Instrument Instrument { get; }

    public string Name { get; }

    public string Help { get; }

    public PrometheusMetricType Type { get; }

    protected PrometheusUnit Unit { get; }

    /// <summary>Records a measurement given in the instrument's own unit.</summary>
    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Called before observable instruments are asked for their values.</summary>
    public virtual void BeginCollect()
    {
    }

    public abstract void Collect(MetricFamily family);
}
