using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace DesktopOperator.Runtime.Controllers;

/// <summary>
/// controller-runtime's reconcile metrics. Counters are observable over our own totals, so every
/// (controller, result) series exists with 0 from the controller's creation, whenever an exporter starts listening.
/// </summary>
internal sealed class ControllerMetrics
{
    private static readonly ConcurrentDictionary<string, ControllerMetrics> All = new();

    private static readonly Histogram<double> ReconcileTime = RuntimeMeter.Meter.CreateHistogram(
        "controller_runtime_reconcile_time_seconds",
        unit: null,
        description: "Length of time per reconciliation per controller",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RuntimeMeter.LatencyBuckets });

    private readonly string _controller;
    private readonly long[] _totals = new long[ReconcileOutcome.All.Count];
    private long _errors;

    static ControllerMetrics()
    {
        RuntimeMeter.Meter.CreateObservableCounter(
            "controller_runtime_reconcile_total",
            () => All.Values.SelectMany(m => ReconcileOutcome.All.Select((result, i) => new Measurement<long>(
                Volatile.Read(ref m._totals[i]),
                new KeyValuePair<string, object?>("controller", m._controller),
                new KeyValuePair<string, object?>("result", result)))),
            description: "Total number of reconciliations per controller");
        RuntimeMeter.Meter.CreateObservableCounter(
            "controller_runtime_reconcile_errors_total",
            () => All.Values.Select(m => new Measurement<long>(Volatile.Read(ref m._errors), new KeyValuePair<string, object?>("controller", m._controller))),
            description: "Total number of reconciliation errors per controller");
    }

    private ControllerMetrics(string controller) => _controller = controller;

    public static ControllerMetrics For(string controller) => All.GetOrAdd(controller, c => new ControllerMetrics(c));

    public long Total(string result) => Volatile.Read(ref _totals[IndexOf(result)]);

    public long Errors => Volatile.Read(ref _errors);

    public void Record(string result, double seconds)
    {
        Interlocked.Increment(ref _totals[IndexOf(result)]);
        if (result is ReconcileOutcome.Error or ReconcileOutcome.Terminal)
        {
            Interlocked.Increment(ref _errors);
        }

        ReconcileTime.Record(seconds, new KeyValuePair<string, object?>("controller", _controller));
    }

    private static int IndexOf(string result)
    {
        for (var i = 0; i < ReconcileOutcome.All.Count; i++)
        {
            if (ReconcileOutcome.All[i] == result)
            {
                return i;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(result), result, "unknown reconcile result");
    }
}
