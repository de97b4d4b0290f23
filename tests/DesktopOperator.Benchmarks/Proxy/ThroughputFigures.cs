namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>Bulk transfer in one direction; <see cref="Cpu"/> is the proxy process's CPU time over the same work.</summary>
internal sealed record ThroughputFigures(double MebibytesPerSecond, int Streams, TimeSpan Elapsed, int FailedStreams, long Bytes = 0, ProcessCpu? Cpu = null)
{
    private const double GiB = 1024.0 * 1024 * 1024;

    public double? UserSecondsPerGiB { get; init; } = Bytes > 0 && Cpu is { } c ? c.UserSeconds / (Bytes / GiB) : null;

    public double? KernelSecondsPerGiB { get; init; } = Bytes > 0 && Cpu is { } c ? c.KernelSeconds / (Bytes / GiB) : null;
}
