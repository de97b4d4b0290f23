using System.Globalization;
using System.Net;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using static DesktopOperator.EndToEndTests.Standalone.GatewayDescriptorLimitTests;

namespace DesktopOperator.EndToEndTests.Standalone;

/// <summary>
/// The descriptor tests' setup: a standalone gateway process under <c>prlimit --nofile</c> (both limits; prlimit execs
/// the gateway in place, so the PID is the gateway's and is killed by PID on dispose) with <c>--max-connections</c>,
/// serving one pool on <see cref="Port"/> over one loopback echo host, its admin endpoint at <see cref="Admin"/>.
/// </summary>
internal sealed class LimitedGateway : IAsyncDisposable
{
    private readonly EchoHost _host;
    private readonly GatewayFolders _folders;

    private LimitedGateway(EchoHost host, GatewayFolders folders, int port, Uri admin, ChildProcess process)
    {
        _host = host;
        _folders = folders;
        Port = port;
        Admin = admin;
        Process = process;
    }

    public int Port { get; }

    public Uri Admin { get; }

    public ChildProcess Process { get; }

    /// <param name="name">Names the temporary folders.</param>
    /// <param name="hostOctet">The echo host listens on 127.0.0.<paramref name="hostOctet"/>.</param>
    public static LimitedGateway Start(string name, byte hostOctet, int openFileLimit, int maxConnections)
    {
        var host = EchoHost.Start(LoopbackPorts.GetFreeEndPoint(LoopbackPorts.Address(hostOctet)));
        var folders = new GatewayFolders(name);
        var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        var setup = new ProxySetup(IPAddress.Loopback, [new ProxyBackend("echo", host.EndPoint)], ProxyBalancing.LeastConnections);
        folders.WritePool(GatewayProxy.ManifestFile, setup, port);
        var admin = new Uri($"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback).ToString(CultureInfo.InvariantCulture)}/");
        var options = folders.Options("gateway") with { ExtraArguments = ["--max-connections", maxConnections.ToString(CultureInfo.InvariantCulture)] };
        var process = ChildProcess.Start(
            "gateway",
            ExternalTools.Require("prlimit"),
            [$"--nofile={openFileLimit}:{openFileLimit}", "--", GatewayProxy.FindExecutable(), .. StandaloneGateway.Arguments(options, admin)],
            folders.Root,
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" });
        return new LimitedGateway(host, folders, port, admin, process);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        _folders.Dispose();
        await _host.DisposeAsync();
    }
}
