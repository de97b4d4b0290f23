using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Proxies;

/// <summary>
/// socat as a naive relay: one forked process per connection, every connection to the first backend (socat does not
/// balance). A floor to compare against, and a second proxy that proves the benchmark harness.
/// </summary>
public sealed class SocatProxy(string name = "socat") : IProxyUnderTest
{
    public string Name { get; } = name;

    public async Task<RunningProxy> StartAsync(ProxySetup setup, CancellationToken cancellationToken)
    {
        var socat = ExternalTools.Require("socat");
        var directory = HostLogs.CreateDirectory(Name);
        var endpoint = LoopbackPorts.GetFreeEndPoint(setup.ListenAddress);
        var target = setup.Backends[0].EndPoint;
        var process = ChildProcess.Start(
            "socat",
            socat,
            [
                $"TCP-LISTEN:{endpoint.Port},bind={endpoint.Address},fork,reuseaddr,backlog=4096,nodelay",
                $"TCP:{target.Address}:{target.Port},nodelay",
            ],
            directory);
        if (!await PortProbe.WaitUntilOpenAsync(endpoint, TimeSpan.FromSeconds(20), () => process.HasExited, cancellationToken))
        {
            var logs = HostLogs.Describe(directory);
            await process.DisposeAsync();
            HostLogs.Remove(directory);
            throw new InvalidOperationException($"socat did not start: {logs}");
        }

        return new RunningProxy(Name, endpoint, process, directory);
    }
}
