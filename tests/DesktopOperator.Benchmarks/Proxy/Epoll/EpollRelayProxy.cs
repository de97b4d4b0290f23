using System.Globalization;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.Benchmarks.Proxy.Epoll;

/// <summary>The <c>epoll</c> candidate: this executable's <see cref="EpollRelay"/> in a child process.</summary>
internal sealed class EpollRelayProxy(string name) : IProxyUnderTest
{
    public string Name { get; } = name;

    public async Task<RunningProxy> StartAsync(ProxySetup setup, CancellationToken cancellationToken)
    {
        var directory = HostLogs.CreateDirectory(Name);
        var endpoint = LoopbackPorts.GetFreeEndPoint(setup.ListenAddress);
        var (self, arguments) = BackendProcess.SelfCommand("epoll-relay");
        arguments.Add(endpoint.ToString());
        arguments.AddRange(setup.Backends.Select(b => b.EndPoint.ToString()));
        var process = ChildProcess.Start(Name, self, arguments, directory);
        if (!await PortProbe.WaitUntilOpenAsync(endpoint, TimeSpan.FromSeconds(20), () => process.HasExited, cancellationToken))
        {
            var logs = HostLogs.Describe(directory) + process.ReadOutput();
            await process.DisposeAsync();
            HostLogs.Remove(directory);
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"epoll-relay did not start: {logs}"));
        }

        return new RunningProxy(Name, endpoint, process, directory);
    }
}
