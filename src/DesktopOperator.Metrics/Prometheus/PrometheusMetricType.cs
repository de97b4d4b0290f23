namespace DesktopOperator.Metrics.Prometheus;

/// <summary>The <c># TYPE</c> of a metric family in the text format.</summary>
internal enum PrometheusMetricType
{
    Counter,
    Gauge,
    Histogram,
}
