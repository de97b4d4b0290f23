using System.Diagnostics.Metrics;

namespace DesktopOperator.Runtime;

/// <summary>
/// The one <see cref="Meter"/> of this assembly. Instrument names are the Prometheus names controller-runtime
/// exports (<c>workqueue_depth</c>, <c>controller_runtime_reconcile_total</c>, …) with no unit, so a Prometheus
/// text exporter writes them unchanged and existing dashboards work.
/// </summary>
public static class RuntimeMeter
{
    public const string Name = "DesktopOperator.Runtime";

    public static Meter Meter { get; } = new(Name);

    /// <summary>controller-runtime's latency buckets: 10 ns … 1000 s, one per decade.</summary>
    internal static IReadOnlyList<double> LatencyBuckets { get; } = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000];
}
