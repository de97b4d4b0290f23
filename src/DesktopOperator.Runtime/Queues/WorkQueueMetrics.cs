using System.Diagnostics.Metrics;

namespace DesktopOperator.Runtime.Queues;

/// <summary>controller-runtime's work-queue metrics, labelled with the queue's <c>name</c>.</summary>
internal sealed class WorkQueueMetrics
{
    private static readonly UpDownCounter<long> DepthInstrument =
        RuntimeMeter.Meter.CreateUpDownCounter<long>("workqueue_depth", description: "Current depth of workqueue");

    private static readonly Counter<long> AddsInstrument =
        RuntimeMeter.Meter.CreateCounter<long>("workqueue_adds_total", description: "Total number of adds handled by workqueue");

    private static readonly Counter<long> RetriesInstrument =
        RuntimeMeter.Meter.CreateCounter<long>("workqueue_retries_total", description: "Total number of retries handled by workqueue");

    private static readonly Histogram<double> QueueDurationInstrument = RuntimeMeter.Meter.CreateHistogram(
        "workqueue_queue_duration_seconds",
        unit: null,
        description: "How long in seconds an item stays in workqueue before being requested",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RuntimeMeter.LatencyBuckets });

    private static readonly Histogram<double> WorkDurationInstrument = RuntimeMeter.Meter.CreateHistogram(
        "workqueue_work_duration_seconds",
        unit: null,
        description: "How long in seconds processing an item from workqueue takes",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RuntimeMeter.LatencyBuckets });

    private readonly KeyValuePair<string, object?> _name;

    public WorkQueueMetrics(string name)
    {
        _name = new KeyValuePair<string, object?>("name", name);
        DepthInstrument.Add(0, _name);
        AddsInstrument.Add(0, _name);
        RetriesInstrument.Add(0, _name);
    }

    /// <summary>
    /// Whether anyone listens to the latency histograms. Timestamps are only taken then: they cost two hash-map
    /// updates per item, which is most of an uninstrumented Add/Get/Done (see WorkQueueBenchmarks).
    /// </summary>
    public static bool LatencyEnabled => QueueDurationInstrument.Enabled || WorkDurationInstrument.Enabled;

    public void Depth(int delta) => DepthInstrument.Add(delta, _name);

    public void Add() => AddsInstrument.Add(1, _name);

    public void Retry() => RetriesInstrument.Add(1, _name);

    public void QueueDuration(double seconds) => QueueDurationInstrument.Record(seconds, _name);

    public void WorkDuration(double seconds) => WorkDurationInstrument.Record(seconds, _name);
}
