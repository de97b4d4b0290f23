using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DesktopOperator.Gateway.Health;

/// <summary>
/// Health instruments on the <c>DesktopOperator.Gateway</c> meter. Labels are pool, host, probe kind and
/// outcome only: never users or clients.
/// </summary>
internal sealed class HealthMetrics
{
    public const string MeterName = "DesktopOperator.Gateway";

    private readonly Counter<long> _transitions;
    private readonly Histogram<double> _probeDuration;

    /// <param name="observeHosts">Current health of every checked host, read at each collection.</param>
    public HealthMetrics(IMeterFactory meterFactory, Func<IEnumerable<(string Pool, string Host, HostHealth Health)>> observeHosts)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge(
            "gateway_host_healthy",
            () => observeHosts().Select(h => new Measurement<int>(h.Health == HostHealth.Unhealthy ? 0 : 1, new("pool", h.Pool), new("host", h.Host))),
            description: "1 while a host is routable (healthy, or not yet checked), 0 while its checks fail.");
        _transitions = meter.CreateCounter<long>(
            "gateway_host_health_transitions",
            description: "Changes of a host's health state, by the state entered.");
        _probeDuration = meter.CreateHistogram<double>(
            "gateway_health_probe_duration",
            unit: "s",
            description: "Duration of active health checks, by probe kind and result.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    }

    public static string StateLabel(HostHealth health) => health switch
    {
        HostHealth.Healthy => "healthy",
        HostHealth.Unhealthy => "unhealthy",
        _ => "unknown",
    };

    public void RecordTransition(string pool, string host, HostHealth to) =>
        _transitions.Add(1, new TagList { { "pool", pool }, { "host", host }, { "to", StateLabel(to) } });

    public void RecordProbe(string pool, string kind, ProbeResult result, TimeSpan duration) =>
        _probeDuration.Record(duration.TotalSeconds, new TagList { { "pool", pool }, { "kind", kind }, { "result", result.Label } });
}
