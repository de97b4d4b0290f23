using DesktopOperator.Benchmarks.Proxy;

namespace DesktopOperator.Benchmarks.Http;

/// <summary>
/// One measured scenario: units of work done (requests, messages) and bytes moved in <see cref="Elapsed"/>, failures,
/// and the proxy process's own CPU time over the same span (null when it could not be read).
/// </summary>
internal sealed record ScenarioResult(double Units, long Bytes, TimeSpan Elapsed, long Errors, ProcessCpu? Cpu)
{
    public double UnitsPerSecond => Units / Elapsed.TotalSeconds;

    public double MebibytesPerSecond => Bytes / 1048576.0 / Elapsed.TotalSeconds;

    public double? UserMicrosecondsPerUnit => Cpu is { } c && Units > 0 ? c.UserSeconds * 1e6 / Units : null;

    public double? KernelMicrosecondsPerUnit => Cpu is { } c && Units > 0 ? c.KernelSeconds * 1e6 / Units : null;

    public double? UserSecondsPerGiB => Cpu is { } c && Bytes > 0 ? c.UserSeconds / (Bytes / 1073741824.0) : null;

    public double? KernelSecondsPerGiB => Cpu is { } c && Bytes > 0 ? c.KernelSeconds / (Bytes / 1073741824.0) : null;
}
