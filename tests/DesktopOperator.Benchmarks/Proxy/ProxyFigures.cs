namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>Everything measured for one proxy; a scenario that failed leaves its figure null and says why in Notes.</summary>
internal sealed record ProxyFigures(string Proxy)
{
    public ThroughputFigures? Throughput { get; set; }

    public ConnectionRateFigures? ConnectionRate { get; set; }

    public LatencyFigures? Latency { get; set; }

    public IdleMemoryFigures? IdleMemory { get; set; }

    public List<string> Notes { get; } = [];
}
