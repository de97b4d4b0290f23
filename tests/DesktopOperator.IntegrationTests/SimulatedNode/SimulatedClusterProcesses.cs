using System.Net;
using DesktopOperator.Testing;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.IntegrationTests.SimulatedNode;

/// <summary>
/// The "cluster without a cluster" as separate processes, each started by PID and stopped by PID on dispose: the test
/// API server program (writing its kubeconfig into a temporary folder), then on request the simulated node program
/// and <c>desktop-operator operator</c>, and kubectl against them. All on loopback, free ports.
/// </summary>
internal sealed class SimulatedClusterProcesses : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly List<ChildProcess> _processes = [];

    private SimulatedClusterProcesses(string root)
    {
        Root = root;
        Kubeconfig = Path.Combine(root, "kubeconfig");
    }

    public string Root { get; }

    public string Kubeconfig { get; }

    /// <summary>Starts the test API server program (with <paramref name="serverOptions"/>, e.g. <c>--tls</c>) and waits for its one line (kubeconfig written).</summary>
    public static async Task<SimulatedClusterProcesses> StartAsync(CancellationToken ct, params string[] serverOptions)
    {
        var cluster = new SimulatedClusterProcesses(HostLogs.CreateDirectory("simulated-cluster"));
        try
        {
            var server = cluster.Start("test-api-server", Program("DesktopOperator.TestApiServer"), ["--listen", "127.0.0.1:0", "--kubeconfig-out", cluster.Kubeconfig, .. serverOptions]);
            await Eventually.TrueAsync(
                () => Task.FromResult(server.HasExited || server.ReadOutput().Contains("kubeconfig written to", StringComparison.Ordinal)),
                "the test API server says where it listens", ct, StartTimeout);
            Assert.False(server.HasExited, server.ReadOutput());
            Assert.True(File.Exists(cluster.Kubeconfig), server.ReadOutput());
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The simulated node program on this server, probing readiness every 0.2 s.</summary>
    public ChildProcess StartNode(string node, string podIps) =>
        Start("node-" + node, Program("DesktopOperator.SimulatedNode"), ["--kubeconfig", Kubeconfig, "--node", node, "--pod-ips", podIps, "--probe-period", "0.2"]);

    /// <summary><c>desktop-operator operator</c> on all namespaces, one replica (no leader election).</summary>
    public ChildProcess StartOperator()
    {
        var admin = $"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}";
        return Start("operator", GatewayProxy.FindExecutable(), ["operator", "--kubeconfig", Kubeconfig, "--http", admin, "--leader-elect", "false"]);
    }

    /// <summary>Runs kubectl against this server (bounded); fails the test when it fails.</summary>
    public async Task<string> KubectlAsync(CancellationToken ct, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(
            ExternalTools.Require("kubectl"), ["--kubeconfig", Kubeconfig, .. arguments], TimeSpan.FromSeconds(60), ct,
            new Dictionary<string, string> { ["HOME"] = Root }); // its discovery cache stays in this folder
        Assert.True(result.Succeeded, $"kubectl {string.Join(' ', arguments)}: {result}\n{Logs()}");
        return result.Stdout;
    }

    /// <summary>What every process said so far, for failure messages.</summary>
    public string Logs() => ChildProcess.Describe(_processes);

    public async ValueTask DisposeAsync()
    {
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            await _processes[i].DisposeAsync();
        }

        HostLogs.Remove(Root);
    }

    /// <summary>The apphost of a program under tests/, built in this test run's configuration.</summary>
    internal static string Program(string project)
    {
        var path = RepositoryPaths.PathOf("tests", project, "bin", RepositoryPaths.Configuration, "net10.0", project);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built: run `dotnet build tests/{project} -c {RepositoryPaths.Configuration}`", path);
    }

    private ChildProcess Start(string name, string executable, string[] arguments)
    {
        var process = ChildProcess.Start(name, executable, arguments, Root);
        _processes.Add(process);
        return process;
    }
}
