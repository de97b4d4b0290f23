using System.Net;
using System.Text;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Testing.Proxies;

/// <summary>
/// HAProxy (Debian's 2.6) in <c>mode tcp</c> from a generated configuration, in the foreground (<c>-db</c>), one
/// process, no health checks (they would add traffic the other side does not have).
/// </summary>
public sealed class HaproxyProxy(string name = "haproxy") : IProxyUnderTest
{
    public string Name { get; } = name;

    public async Task<RunningProxy> StartAsync(ProxySetup setup, CancellationToken cancellationToken)
    {
        var haproxy = ExternalTools.Require("haproxy");
        var directory = HostLogs.CreateDirectory(Name);
        var endpoint = LoopbackPorts.GetFreeEndPoint(setup.ListenAddress);
        var config = Path.Combine(directory, "haproxy.cfg");
        await File.WriteAllTextAsync(config, Config(setup, endpoint), cancellationToken);
        var process = ChildProcess.Start("haproxy", haproxy, ["-db", "-f", config], directory);
        if (!await PortProbe.WaitUntilOpenAsync(endpoint, TimeSpan.FromSeconds(20), () => process.HasExited, cancellationToken))
        {
            var logs = HostLogs.Describe(directory);
            await process.DisposeAsync();
            HostLogs.Remove(directory);
            throw new InvalidOperationException($"haproxy did not start: {logs}");
        }

        return new RunningProxy(Name, endpoint, process, directory);
    }

    /// <summary>The configuration text for <paramref name="setup"/> listening on <paramref name="listen"/>.</summary>
    public static string Config(ProxySetup setup, IPEndPoint listen)
    {
        var balance = setup.Balancing switch
        {
            ProxyBalancing.LeastConnections => "leastconn",
            ProxyBalancing.SourceHash => "source",
            ProxyBalancing.RoundRobin => "roundrobin",
            ProxyBalancing.RdpUser => "rdp-cookie",
            _ => throw new ArgumentOutOfRangeException(nameof(setup)),
        };
        var text = new StringBuilder()
            .AppendLine("global")
            .AppendLine($"  maxconn {setup.MaxConnections}")
            .AppendLine("defaults")
            .AppendLine("  mode tcp")
            .AppendLine($"  maxconn {setup.MaxConnections}")
            .AppendLine($"  timeout connect {(int)setup.ConnectTimeout.TotalMilliseconds}ms")
            .AppendLine($"  timeout client {(int)setup.IdleTimeout.TotalMilliseconds}ms")
            .AppendLine($"  timeout server {(int)setup.IdleTimeout.TotalMilliseconds}ms")
            // A failed connect goes to another server, as our gateway's redispatch does.
            .AppendLine("  option redispatch")
            .AppendLine("  retries 2")
            .AppendLine("frontend desktops")
            .AppendLine($"  bind {listen.Address}:{listen.Port} backlog 4096");
        if (setup.Balancing == ProxyBalancing.RdpUser)
        {
            // Wait (bounded) for the X.224 Connection Request so the cookie can be hashed.
            text.AppendLine("  tcp-request inspect-delay 5s")
                .AppendLine("  tcp-request content accept if RDP_COOKIE");
        }

        text
            .AppendLine("  default_backend hosts")
            .AppendLine("backend hosts")
            .AppendLine($"  balance {balance}");
        foreach (var backend in setup.Backends)
        {
            text.AppendLine($"  server {backend.Name} {backend.EndPoint.Address}:{backend.EndPoint.Port}");
        }

        return text.ToString();
    }
}
