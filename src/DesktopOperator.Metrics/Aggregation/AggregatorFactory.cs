using System.Diagnostics.Metrics;
using DesktopOperator.Metrics.Prometheus;

namespace DesktopOperator.Metrics.Aggregation;

/// <summary>Picks the aggregation for an instrument by its kind (counter, gauge, histogram, observable or not).</summary>
internal static class AggregatorFactory
{
    public static InstrumentAggregator? Create(Instrument instrument, int maxSeries)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var kind = type.GetGenericTypeDefinition();
        if (kind == typeof(Counter<>))
        {
            return new SumAggregator(instrument, monotonic: true, maxSeries);
        }

        if (kind == typeof(UpDownCounter<>))
        {
            return new SumAggregator(instrument, monotonic: false, maxSeries);
        }

        if (kind == typeof(Gauge<>))
        {
            return new LastValueAggregator(instrument, maxSeries);
        }

        if (kind == typeof(Histogram<>))
        {
            return new HistogramAggregator(instrument, maxSeries);
        }

        if (kind == typeof(ObservableCounter<>))
        {
            return new ObservedAggregator(instrument, PrometheusMetricType.Counter, maxSeries);
        }

        if (kind == typeof(ObservableUpDownCounter<>) || kind == typeof(ObservableGauge<>))
        {
            return new ObservedAggregator(instrument, PrometheusMetricType.Gauge, maxSeries);
        }

        return null;
    }
}
