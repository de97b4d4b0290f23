namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>Everything measured for one proxy; a scenario that failed leaves its figure null and says why in Notes.</summary>
internal sealed record ProxyFigures(string Proxy)
{
    public ThroughputFigures? Throughput { get; set; }

    public ThroughputFigures? Download { get; set; }

    public ConnectionRateFigures? ConnectionRate { get; set; }

    public LatencyFigures? Latency { get; set; }

    public IdleMemoryFigures? IdleMemory { get; set; }

    public IperfFigures? Iperf { get; set; }

    public List<string> Notes { get; } = [];

    /// <summary>
    /// Per metric, the median over rounds (rounds alternate between proxies, so a burst of load from elsewhere on a
    /// shared machine hits one round, not one proxy). Errors are summed, notes kept.
    /// </summary>
    public static ProxyFigures Median(IReadOnlyList<ProxyFigures> rounds)
    {
        var result = new ProxyFigures(rounds[0].Proxy);
        result.Throughput = MedianThroughput(rounds.Select(r => r.Throughput));
        result.Download = MedianThroughput(rounds.Select(r => r.Download));

        var rate = rounds.Select(r => r.ConnectionRate).OfType<ConnectionRateFigures>().ToList();
        if (rate.Count > 0)
        {
            result.ConnectionRate = rate[0] with
            {
                ConnectionsPerSecond = MedianOf(rate.Select(t => t.ConnectionsPerSecond)),
                Errors = rate.Sum(t => t.Errors),
                UserMicrosecondsPerConnection = MedianOf(rate.Select(t => t.UserMicrosecondsPerConnection)),
                KernelMicrosecondsPerConnection = MedianOf(rate.Select(t => t.KernelMicrosecondsPerConnection)),
            };
        }

        var latency = rounds.Select(r => r.Latency).OfType<LatencyFigures>().ToList();
        if (latency.Count > 0)
        {
            result.Latency = latency[0] with
            {
                P50Microseconds = MedianOf(latency.Select(t => t.P50Microseconds)),
                P99Microseconds = MedianOf(latency.Select(t => t.P99Microseconds)),
                IncompleteConnections = latency.Sum(t => t.IncompleteConnections),
                UserMicrosecondsPerRoundTrip = MedianOf(latency.Select(t => t.UserMicrosecondsPerRoundTrip)),
                KernelMicrosecondsPerRoundTrip = MedianOf(latency.Select(t => t.KernelMicrosecondsPerRoundTrip)),
            };
        }

        var idle = rounds.Select(r => r.IdleMemory).OfType<IdleMemoryFigures>().OrderBy(i => i.BytesPerConnection).ToList();
        if (idle.Count > 0)
        {
            result.IdleMemory = idle[(idle.Count - 1) / 2] with { Failed = idle.Sum(i => i.Failed) };
        }

        if (rounds.Any(r => r.Iperf is not null))
        {
            result.Iperf = new IperfFigures(MedianThroughput(rounds.Select(r => r.Iperf?.Upload)), MedianThroughput(rounds.Select(r => r.Iperf?.Download)));
        }

        foreach (var (round, index) in rounds.Select((r, i) => (r, i + 1)))
        {
            result.Notes.AddRange(round.Notes.Select(n => $"round {index}: {n}"));
        }

        return result;
    }

    /// <summary>One line of the raw figures, for the per-round listing under the table.</summary>
    public string Summary() =>
        Throughput is null && Download is null && ConnectionRate is null && Latency is null && IdleMemory is null
            ? "no figures"
            : $"{Throughput?.MebibytesPerSecond:F0} MiB/s up, {Download?.MebibytesPerSecond:F0} MiB/s down, {ConnectionRate?.ConnectionsPerSecond:F0} conn/s, " +
              $"CPU user/kernel {ConnectionRate?.UserMicrosecondsPerConnection:F0}/{ConnectionRate?.KernelMicrosecondsPerConnection:F0} us per conn, " +
              $"{Throughput?.UserSecondsPerGiB:F2}/{Throughput?.KernelSecondsPerGiB:F2} s per GiB up, {Download?.UserSecondsPerGiB:F2}/{Download?.KernelSecondsPerGiB:F2} s per GiB down, " +
              $"p50 {Latency?.P50Microseconds:F1} us, p99 {Latency?.P99Microseconds:F1} us, " +
              $"CPU user/kernel {Latency?.UserMicrosecondsPerRoundTrip:F1}/{Latency?.KernelMicrosecondsPerRoundTrip:F1} us per round trip, " +
              $"{IdleMemory?.BytesPerConnection / 1024:F2} KiB/idle conn ({IdleMemory?.MarginalBytesPerConnection / 1024:F2} in the second half)";

    private static ThroughputFigures? MedianThroughput(IEnumerable<ThroughputFigures?> rounds)
    {
        var throughput = rounds.OfType<ThroughputFigures>().ToList();
        return throughput.Count == 0
            ? null
            : throughput[0] with
            {
                MebibytesPerSecond = MedianOf(throughput.Select(t => t.MebibytesPerSecond)),
                FailedStreams = throughput.Sum(t => t.FailedStreams),
                UserSecondsPerGiB = MedianOf(throughput.Select(t => t.UserSecondsPerGiB)),
                KernelSecondsPerGiB = MedianOf(throughput.Select(t => t.KernelSecondsPerGiB)),
            };
    }

    /// <summary>The median of the known values; null when none is known.</summary>
    private static double? MedianOf(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().ToList();
        return known.Count == 0 ? null : MedianOf(known);
    }

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
