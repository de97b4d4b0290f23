namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>Short connections; <see cref="Cpu"/> is the proxy process's CPU time over the same work.</summary>
internal sealed record ConnectionRateFigures(double ConnectionsPerSecond, int Concurrency, long Completed, long Errors, ProcessCpu? Cpu = null)
{
    public double? UserMicrosecondsPerConnection { get; init; } = Completed > 0 && Cpu is { } c ? c.UserSeconds * 1e6 / Completed : null;

    public double? KernelMicrosecondsPerConnection { get; init; } = Completed > 0 && Cpu is { } c ? c.KernelSeconds * 1e6 / Completed : null;
}
