using System.Diagnostics.Metrics;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Metrics.Tests;

public sealed class PromtoolCheckTests
{
    [ToolFact("promtool", "setsid")]
    public async Task CheckMetrics_RealisticOutputWithEveryType_NoErrorsOrLintWarnings()
    {
        using var scope = new MeterScope(maxSeries: 3);
        var meter = scope.Meter;
        var connections = meter.CreateCounter<long>("gateway_connections", description: "Client connections by pool, protocol and result.");
        connections.Add(12, new("pool", "office"), new("protocol", "rdp"), new("result", "success"));
        connections.Add(1, new("pool", "office"), new("protocol", "rdp"), new("result", "upstream_connect"));
        connections.Add(4, new("pool", "lab \"b\"\nline\\two"), new("protocol", "vnc"), new("result", "success"));
        for (var i = 0; i < 5; i++)
        {
            connections.Add(1, new("pool", "p" + i), new("protocol", "ssh"), new("result", "success"));
        }

        meter.CreateCounter<long>("gateway_bytes", "By", "Bytes relayed.\nBy direction.").Add(1 << 20, new KeyValuePair<string, object?>("direction", "upstream"));
        meter.CreateUpDownCounter<int>("gateway_sessions_active", description: "Open sessions.").Add(3, new KeyValuePair<string, object?>("pool", "office"));
        meter.CreateGauge<int>("gateway_host_healthy", description: "1 when the host passes its checks.").Record(1, new("pool", "office"), new("host", "h-1"));
        meter.CreateObservableGauge("workqueue_depth", () => new Measurement<int>(0, new KeyValuePair<string, object?>("name", "desktoppool")), description: "Queued keys.");
        meter.CreateObservableCounter("controller_runtime_reconcile", () => new Measurement<long>(42, new("controller", "desktoppool"), new("result", "success")), description: "Reconciles.");
        meter.CreateObservableUpDownCounter("gateway_routes", () => new Measurement<int>(5, new KeyValuePair<string, object?>("phase", "Active")), description: "Routes by phase.");
        meter.CreateObservableGauge("process_cpu_usage", () => double.NaN, "%", "CPU share.");
        var connect = meter.CreateHistogram<double>("gateway_connect_duration", "ms", "Upstream connect latency.");
        connect.Record(0.4, new KeyValuePair<string, object?>("pool", "office"));
        connect.Record(35, new KeyValuePair<string, object?>("pool", "office"));
        meter.CreateHistogram<int>("gateway_rdp_request_size", "By", "X.224 request size.", tags: null, new InstrumentAdvice<int> { HistogramBucketBoundaries = [32, 128, 1024] }).Record(57);
        meter.CreateHistogram<double>("controller_runtime_reconcile_time", "s", "Reconcile time.").Record(double.PositiveInfinity);

        var text = await scope.ScrapeAsync();
        var check = await CheckMetricsAsync(text);

        Assert.True(check.Succeeded && check.Stdout.Trim().Length == 0 && check.Stderr.Trim().Length == 0, $"{check}\n--- input ---\n{text}");
        foreach (var name in new[] { "gateway_connections_total", "gateway_bytes_total", "gateway_sessions_active", "gateway_host_healthy", "workqueue_depth", "controller_runtime_reconcile_total", "gateway_routes", "process_cpu_usage_percent", "gateway_connect_duration_seconds", "gateway_rdp_request_size_bytes", "controller_runtime_reconcile_time_seconds" })
        {
            Assert.Contains($"# TYPE {name} ", text);
        }
    }

    // Proves the check above can fail: promtool does lint what we feed it.
    [ToolFact("promtool", "setsid")]
    public async Task CheckMetrics_CounterWithoutTotalSuffix_Reported()
    {
        var check = await CheckMetricsAsync("# HELP d x\n# TYPE d counter\nd 1\n");

        Assert.False(check.TimedOut, check.ToString());
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("_total", check.Stdout + check.Stderr, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> CheckMetricsAsync(string text) =>
        ProcessRunner.RunAsync(ExternalTools.Require("promtool"), ["check", "metrics"], TimeSpan.FromSeconds(60), CancellationToken.None, standardInput: text);
}
