using System.Globalization;
using System.Net;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.Benchmarks.Http;

/// <summary>
/// The processes of the HTTP benchmark: the nginx static upstream, and the two proxies under test over the same
/// hosts: nginx (<see cref="NginxConfig.ReverseProxy"/>) and our standalone gateway with one DesktopPool of two
/// <c>Http</c> protocols (<c>/static/</c> and <c>/ws/</c>), SourceHash balancing, SourceIP affinity, TCP checks every
/// 10 s, route persistence on (<c>--state</c>), logs at Warning. Each started proxy is ready when a GET of the page
/// through it answers 200. Disposing stops the process by PID and removes its folder.
/// </summary>
internal sealed class HttpProxies
{
    private readonly IReadOnlyList<IPAddress> _hosts;
    private readonly int _staticPort;
    private readonly int _webSocketPort;

    public HttpProxies(IReadOnlyList<IPAddress> hosts, int staticPort, int webSocketPort)
    {
        _hosts = hosts;
        _staticPort = staticPort;
        _webSocketPort = webSocketPort;
    }

    public static async Task<RunningHttpProxy> StartStaticUpstreamAsync(IReadOnlyList<IPAddress> hosts, CancellationToken cancellationToken)
    {
        var prefix = HostLogs.CreateDirectory("bench-static");
        Directory.CreateDirectory(Path.Combine(prefix, "www"));
        // 4 KiB: about a small script or stylesheet of a web desktop's page.
        await File.WriteAllTextAsync(Path.Combine(prefix, "www", NginxConfig.StaticFile), new string('x', 4096), cancellationToken);
        var port = LoopbackPorts.GetFreePort(hosts[0]);
        var process = await StartNginxAsync("nginx-static", prefix, NginxConfig.StaticUpstream(prefix, hosts, port), cancellationToken);
        var upstream = new RunningHttpProxy("nginx-static", new Uri($"http://{hosts[0]}:{port.ToString(CultureInfo.InvariantCulture)}/"), process.Id, process.DisposeAsync, prefix);
        await upstream.WaitUntilServingAsync(new Uri(upstream.BaseUri, NginxConfig.StaticFile), () => process.HasExited, cancellationToken);
        return upstream;
    }

    public async Task<RunningHttpProxy> StartAsync(string name, CancellationToken cancellationToken)
    {
        var proxy = name switch
        {
            "nginx" => await StartNginxProxyAsync(cancellationToken),
            "gateway" => await StartGatewayAsync(cancellationToken),
            _ => throw new ArgumentException($"unknown proxy {name}: nginx or gateway", nameof(name)),
        };
        try
        {
            await proxy.WaitUntilServingAsync(new Uri(proxy.BaseUri, "static/" + NginxConfig.StaticFile), () => false, cancellationToken);
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    private async Task<RunningHttpProxy> StartNginxProxyAsync(CancellationToken cancellationToken)
    {
        var prefix = HostLogs.CreateDirectory("bench-nginx");
        var listen = LoopbackPorts.GetFreeEndPoint(IPAddress.Loopback);
        var process = await StartNginxAsync(
            "nginx", prefix, NginxConfig.ReverseProxy(prefix, listen, _hosts, _staticPort, _webSocketPort), cancellationToken);
        return new RunningHttpProxy("nginx", new Uri($"http://{listen}/"), process.Id, process.DisposeAsync, prefix);
    }

    private async Task<RunningHttpProxy> StartGatewayAsync(CancellationToken cancellationToken)
    {
        var folder = HostLogs.CreateDirectory("bench-gateway");
        var manifests = Directory.CreateDirectory(Path.Combine(folder, "manifests")).FullName;
        var state = Directory.CreateDirectory(Path.Combine(folder, "state")).FullName;
        await File.WriteAllTextAsync(Path.Combine(manifests, "web.yaml"), PoolManifest(), cancellationToken);
        var gateway = await StandaloneGateway.StartAsync(new StandaloneGatewayOptions(manifests, state, IPAddress.Loopback, folder), cancellationToken);
        return new RunningHttpProxy("gateway", gateway.AdminUri, gateway.ProcessId, gateway.DisposeAsync, folder);
    }

    private string PoolManifest() => $"""
        apiVersion: desktop-operator.io/v1alpha1
        kind: DesktopPool
        metadata:
          name: web
        spec:
          staticHosts:
        {string.Concat(_hosts.Select((h, i) => $"    - name: host-{i + 1}\n      address: {h}\n"))}  protocols:
            - name: static
              kind: Http
              port: {_staticPort.ToString(CultureInfo.InvariantCulture)}
              path: /static/
            - name: ws
              kind: Http
              port: {_webSocketPort.ToString(CultureInfo.InvariantCulture)}
              path: /ws/
          balancing:
            strategy: SourceHash
          affinity:
            key: SourceIP
          capacity:
            sessionsPerHost: 1000
          healthCheck:
            kind: Tcp
            interval: 10s
        """;

    private static async Task<ChildProcess> StartNginxAsync(string name, string prefix, string config, CancellationToken cancellationToken)
    {
        var file = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(file, config, cancellationToken);
        Directory.CreateDirectory(Path.Combine(prefix, "tmp"));
        // -e: the error log before the configuration is read (else /var/log/nginx); -p: relative paths' prefix.
        return ChildProcess.Start(name, ExternalTools.Require("nginx"), ["-p", prefix + "/", "-e", Path.Combine(prefix, "startup-error.log"), "-c", file], prefix);
    }
}
