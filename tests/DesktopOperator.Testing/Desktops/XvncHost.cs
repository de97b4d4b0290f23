using System.Net;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// A TigerVNC Xvnc server on a loopback address and port, security type None, whose desktop name identifies it.
/// Started on a free X display (retried on a collision with another X server), ready once the port greets with
/// "RFB 003.008". Disposing kills it by PID and removes its folder.
/// </summary>
public sealed class XvncHost : IAsyncDisposable
{
    private const int Attempts = 5;
    private readonly ChildProcess _process;

    private XvncHost(ChildProcess process, XvncHostOptions options, IPEndPoint endpoint, int display)
    {
        _process = process;
        DesktopName = options.DesktopName;
        Endpoint = endpoint;
        Display = display;
    }

    public string DesktopName { get; }

    public IPEndPoint Endpoint { get; }

    public int Display { get; }

    public int ProcessId => _process.Id;

    public string LogDirectory => _process.LogDirectory;

    public bool IsRunning => !_process.HasExited;

    public static async Task<XvncHost> StartAsync(XvncHostOptions options, CancellationToken cancellationToken)
    {
        LoopbackPorts.EnsureLoopback(options.Address);
        var xvnc = ExternalTools.Require("Xvnc");
        var failures = new List<string>();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var display = XDisplayNumbers.Next();
            var port = options.Port != 0 ? options.Port : LoopbackPorts.GetFreePort(options.Address);
            var endpoint = new IPEndPoint(options.Address, port);
            var process = ChildProcess.Start(
                "xvnc",
                xvnc,
                [
                    $":{display}", "-rfbport", port.ToString(), "-interface", options.Address.ToString(),
                    "-SecurityTypes", "None", "-desktop", options.DesktopName, "-geometry", options.Geometry,
                    "-nolisten", "tcp", "-AlwaysShared",
                ],
                HostLogs.CreateDirectory("xvnc-" + options.DesktopName));
            var ready = await PortProbe.WaitForBannerAsync(
                endpoint, "RFB 003.", options.StartTimeout, () => process.HasExited, cancellationToken);
            if (ready)
            {
                return new XvncHost(process, options, endpoint, display);
            }

            failures.Add($"attempt {attempt} (display :{display}, {endpoint}): {HostLogs.Describe(process.LogDirectory)}");
            var folder = process.LogDirectory;
            await process.DisposeAsync();
            HostLogs.Remove(folder);
        }

        throw new InvalidOperationException($"Xvnc '{options.DesktopName}' did not start:\n" + string.Join('\n', failures));
    }

    /// <summary>The captured logs, for assertion messages.</summary>
    public string Describe() => $"Xvnc '{DesktopName}' on {Endpoint} (display :{Display}, pid {ProcessId}); " + HostLogs.Describe(LogDirectory);

    /// <summary>Kills the server by PID now (a host failing mid-test); the fixture stays disposable.</summary>
    public Task KillAsync() => _process.KillAsync();

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        // After a SIGKILL the server could not remove its lock file and socket; they are ours to clean.
        File.Delete($"/tmp/.X{Display}-lock");
        File.Delete($"/tmp/.X11-unix/X{Display}");
        HostLogs.Remove(LogDirectory);
    }
}
