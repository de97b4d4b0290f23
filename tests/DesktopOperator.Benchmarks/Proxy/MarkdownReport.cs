using System.Globalization;
using System.Text;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// The comparison as a Markdown table: one column of absolute figures per proxy, and for each candidate its ratio to
/// the baseline, beside the target for our gateway.
/// </summary>
internal static class MarkdownReport
{
    private sealed record Row(string Metric, string Target, Func<ProxyFigures, double?> Value, string Format);

    public static string Render(ProxyFigures baseline, IReadOnlyList<ProxyFigures> candidates, ProxyBenchmarkOptions options, string machine)
    {
        var rows = new Row[]
        {
            new($"Bulk upload, {options.Streams} streams x {options.Duration.TotalSeconds:F0} s (MiB/s)", ">= 1.0x", f => f.Throughput?.MebibytesPerSecond, "F0"),
            new($"Bulk download, {options.Streams} streams x {options.Duration.TotalSeconds:F0} s (MiB/s)", ">= 1.0x", f => f.Download?.MebibytesPerSecond, "F0"),
            new($"New connections/s, {options.Concurrency} concurrent, 64 B echo", ">= 1.0x", f => f.ConnectionRate?.ConnectionsPerSecond, "F0"),
            new("CPU user per new connection (us)", "<= 1.0x", f => f.ConnectionRate?.UserMicrosecondsPerConnection, "F1"),
            new("CPU kernel per new connection (us)", "<= 1.0x", f => f.ConnectionRate?.KernelMicrosecondsPerConnection, "F1"),
            new("CPU user per GiB upload (s)", "<= 1.0x", f => f.Throughput?.UserSecondsPerGiB, "F2"),
            new("CPU kernel per GiB upload (s)", "<= 1.0x", f => f.Throughput?.KernelSecondsPerGiB, "F2"),
            new("CPU user per GiB download (s)", "<= 1.0x", f => f.Download?.UserSecondsPerGiB, "F2"),
            new("CPU kernel per GiB download (s)", "<= 1.0x", f => f.Download?.KernelSecondsPerGiB, "F2"),
            new($"iperf3 single stream up, {options.Duration.TotalSeconds:F0} s (MiB/s)", ">= 1.0x", f => f.Iperf?.Upload?.MebibytesPerSecond, "F0"),
            new($"iperf3 single stream down (-R), {options.Duration.TotalSeconds:F0} s (MiB/s)", ">= 1.0x", f => f.Iperf?.Download?.MebibytesPerSecond, "F0"),
            new("CPU user per GiB iperf3 up (s)", "<= 1.0x", f => f.Iperf?.Upload?.UserSecondsPerGiB, "F2"),
            new("CPU kernel per GiB iperf3 up (s)", "<= 1.0x", f => f.Iperf?.Upload?.KernelSecondsPerGiB, "F2"),
            new("CPU user per GiB iperf3 down (s)", "<= 1.0x", f => f.Iperf?.Download?.UserSecondsPerGiB, "F2"),
            new("CPU kernel per GiB iperf3 down (s)", "<= 1.0x", f => f.Iperf?.Download?.KernelSecondsPerGiB, "F2"),
            new($"Round trip p50, 64 B, {options.LatencyConnections} long-lived conns (us)", "-", f => f.Latency?.P50Microseconds, "F1"),
            new($"Round trip p99, 64 B, {options.LatencyConnections} long-lived conns (us)", "<= 1.1x", f => f.Latency?.P99Microseconds, "F1"),
            new("CPU user per round trip (us)", "<= 1.0x", f => f.Latency?.UserMicrosecondsPerRoundTrip, "F1"),
            new("CPU kernel per round trip (us)", "<= 1.0x", f => f.Latency?.KernelMicrosecondsPerRoundTrip, "F1"),
            new("Memory per idle connection (KiB)", "<= 8 KiB", f => f.IdleMemory?.BytesPerConnection / 1024, "F2"),
            new("Memory per idle connection, second half only (KiB)", "-", f => f.IdleMemory?.MarginalBytesPerConnection / 1024, "F2"),
            new("Idle connections held", "-", f => f.IdleMemory?.Connections, "F0"),
            new("Errors (failed streams + connects + incomplete latency conns + idle failures)", "0", Errors, "F0"),
        };
        var text = new StringBuilder();
        text.Append($"| Metric | {baseline.Proxy} (baseline) |");
        foreach (var candidate in candidates)
        {
            text.Append($" {candidate.Proxy} | {candidate.Proxy}/{baseline.Proxy} |");
        }

        text.AppendLine(" Target (ours) |");
        text.Append("|---|---:|");
        foreach (var unused in candidates)
        {
            text.Append("---:|---:|");
        }

        text.AppendLine("---|");
        foreach (var row in rows)
        {
            var reference = row.Value(baseline);
            text.Append($"| {row.Metric} | {Format(reference, row.Format)} |");
            foreach (var candidate in candidates)
            {
                var value = row.Value(candidate);
                var ratio = value is { } v && reference is { } r && r != 0 ? $"{v / r:F2}x" : "-";
                text.Append($" {Format(value, row.Format)} | {ratio} |");
            }

            text.AppendLine($" {row.Target} |");
        }

        text.AppendLine()
            .AppendLine($"Medians over {options.Rounds} round(s), proxies alternating. Machine: {machine}. Balancing: {options.Balancing}. Idle connections target: {options.IdleConnections} " +
                "(2 fds per proxied connection; open-file limit 20,000 per process). " +
                $"Throughput, connection and latency steps measured from {options.SteadyAfter.TotalSeconds:F0} s after each proxy's start (after warm-ups of 2 s each).")
            .AppendLine("Upload (client -> host) is counted by the host, download (host -> client) by the client. CPU rows: the " +
                "proxy process's own user and kernel time (/proc/PID/stat utime, stime; 10 ms ticks) over the same scenario, divided by " +
                "its connections or GiB: the figure a busy shared machine moves least. Idle memory: resident memory (VmRSS) growth over the " +
                "connections held, from a fresh process (one-off costs such as compiled code and filled pools included); the second-half " +
                "row counts only the growth over the second half of them. Latency samples: " +
                $"{options.RoundTrips} round trips per connection after 500 warm-up ones.");
        if (options.Iperf)
        {
            text.AppendLine("iperf3 rows: `iperf3 -c -P 1 -J` (download: `-R`) through a fresh instance of each proxy whose only host is an " +
                "`iperf3 -s` on 127.0.0.23, after a 2 s warm-up run; rate and bytes as the receiver counted them, CPU over the client's whole run.");
        }

        foreach (var figures in candidates.Prepend(baseline))
        {
            foreach (var note in figures.Notes)
            {
                text.AppendLine($"- {figures.Proxy}: {note}");
            }
        }

        return text.ToString();
    }

    private static double? Errors(ProxyFigures f) =>
        f.Throughput is null && f.Download is null && f.ConnectionRate is null && f.Latency is null && f.IdleMemory is null
        ? null
        : (f.Throughput?.FailedStreams ?? 0) + (f.Download?.FailedStreams ?? 0) + (f.ConnectionRate?.Errors ?? 0) + (f.Latency?.IncompleteConnections ?? 0) + (f.IdleMemory?.Failed ?? 0);

    private static string Format(double? value, string format) =>
        value is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
