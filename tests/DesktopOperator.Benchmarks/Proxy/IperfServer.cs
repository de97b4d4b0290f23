using System.Globalization;
using System.Net;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// An <c>iperf3 -s</c> on a loopback address and a free port, the host behind a proxy in <see cref="IperfScenario"/>.
/// Ready when it prints that it listens (a probe connection would be taken for a test's control connection).
/// Disposing stops it by PID and removes its log folder.
/// </summary>
internal sealed class IperfServer : IAsyncDisposable
{
    private const string ListeningLine = "Server listening on ";
    private readonly ChildProcess _process;

    private IperfServer(ChildProcess process, IPEndPoint endPoint)
    {
        _process = process;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>The iperf3 executable, or an IOException saying how to install it (it is not one of the tests' tools).</summary>
    public static string Executable =>
        ExternalTools.Find("iperf3") ?? throw new IOException("iperf3 is not installed: apt-get install iperf3 (or skip the scenario with --iperf 0)");

    public static async Task<IperfServer> StartAsync(IPAddress address, CancellationToken cancellationToken)
    {
        var iperf3 = Executable;
        var endPoint = LoopbackPorts.GetFreeEndPoint(address);
        var process = ChildProcess.Start(
            "iperf3-server",
            iperf3,
            // --forceflush: its stdout is a file, which iperf3 would otherwise buffer past the line waited for.
            ["-s", "-B", address.ToString(), "-p", endPoint.Port.ToString(CultureInfo.InvariantCulture), "--forceflush"],
            HostLogs.CreateDirectory("bench-iperf3-server"));
        var ready = await Eventually.HoldsAsync(
            () => process.HasExited || process.ReadOutput().Contains(ListeningLine, StringComparison.Ordinal), TimeSpan.FromSeconds(20), cancellationToken);
        if (!ready || process.HasExited)
        {
            var output = process.ReadOutput();
            await DisposeAsync(process);
            throw new IOException($"iperf3 -s on {endPoint} did not start: {output}");
        }

        return new IperfServer(process, endPoint);
    }

    public ValueTask DisposeAsync() => DisposeAsync(_process);

    private static async ValueTask DisposeAsync(ChildProcess process)
    {
        var folder = process.LogDirectory;
        await process.DisposeAsync();
        HostLogs.Remove(folder);
    }
}
