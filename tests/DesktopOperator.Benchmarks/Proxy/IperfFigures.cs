namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// iperf3 through a proxy, one stream each way: <see cref="Upload"/> (client to server) and <see cref="Download"/>
/// (<c>-R</c>, server to client), each as the receiver counted it, with the proxy's CPU time over the same run.
/// </summary>
internal sealed record IperfFigures(ThroughputFigures? Upload, ThroughputFigures? Download)
{
    /// <summary>For the per-round listing under the table.</summary>
    public string Summary() =>
        $"iperf3 {Upload?.MebibytesPerSecond:F0}/{Download?.MebibytesPerSecond:F0} MiB/s up/down, " +
        $"CPU user/kernel {Upload?.UserSecondsPerGiB:F2}/{Upload?.KernelSecondsPerGiB:F2} s per GiB up, {Download?.UserSecondsPerGiB:F2}/{Download?.KernelSecondsPerGiB:F2} s per GiB down";
}
