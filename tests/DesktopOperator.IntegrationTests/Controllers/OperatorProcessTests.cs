using System.Net;
using System.Text.Json;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Kubelet;
using DesktopOperator.Testing.Monitoring;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Controllers;

/// <summary>
/// <c>desktop-operator operator</c> as a process against the test API server: it creates a pool's hosts, serves
/// /readyz and /metrics, and exits with one line when it cannot do its job.
/// </summary>
public sealed class OperatorProcessTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string _root = HostLogs.CreateDirectory("operator-process");

    [ToolFact("promtool")]
    public async Task Operator_AgainstTestApiServer_CreatesHostsServesReadyzAndMetrics()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        await using var kubelet = new SimulatedKubelet(cluster.TestServer.CreateClient(), new SimulatedKubeletOptions { GracePeriodScale = 0 });
        await kubelet.StartAsync();
        var admin = $"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}";
        await using var process = ChildProcess.Start(
            "operator", GatewayProxy.FindExecutable(),
            ["operator", "--kubeconfig", WriteKubeconfig(cluster.TestServer.BaseAddress), "--namespace", cluster.Namespace, "--http", admin, "--json-logs"],
            _root);

        await cluster.Client.CreateAsync(Pool(cluster.Namespace, "desk"), Ct);

        await Eventually.TrueAsync(() => ReadyAsync(admin), () => $"/readyz answers 200: {process.ReadOutput()}", Ct, TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(
            async () => (await cluster.Client.ListAsync<V1Pod>(cluster.Namespace, new ListOptions { LabelSelector = "desktop-operator.io/pool=desk" }, Ct)).Items.Count == 2,
            "the operator creates the pool's two hosts", Ct, TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(
            async () => (await cluster.Client.GetAsync<DesktopPool>("desk", cluster.Namespace, Ct)).Status?.ReadyHosts == 2,
            "the pool's status shows two ready hosts", Ct, TimeSpan.FromSeconds(30));
        var pool = $"namespace=\"{cluster.Namespace}\",pool=\"desk\"";
        var metrics = "";
        await Eventually.TrueAsync(
            async () => (metrics = await Http.GetStringAsync($"{admin}/metrics")).Contains($"operator_pool_hosts{{{pool},state=\"Ready\"}} 2\n", StringComparison.Ordinal),
            () => $"/metrics shows the pool's two ready hosts: {metrics}", Ct, TimeSpan.FromSeconds(30));
        Assert.Contains("operator_leader 1", metrics, StringComparison.Ordinal);
        Assert.Contains("controller_runtime_reconcile_total{controller=\"desktoppool\"", metrics, StringComparison.Ordinal);
        Assert.Contains("workqueue_depth{name=\"desktoppool\"}", metrics, StringComparison.Ordinal);
        Assert.Contains($"operator_pool_slots{{{pool}}} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"operator_pool_max_slots{{{pool}}} 4\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"operator_pool_free_slots{{{pool}}} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"operator_pool_sessions{{namespace=\"{cluster.Namespace}\",phase=\"Pending\",pool=\"desk\"}} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"operator_pool_desired_hosts{{{pool}}} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"operator_pool_outdated_hosts{{{pool}}} 0\n", metrics, StringComparison.Ordinal);
        Assert.Contains($"operator_pool_decisions_total{{decision=\"create\",{pool},reason=\"BelowDesired\"}} 2\n", metrics, StringComparison.Ordinal);
        var check = await ProcessRunner.RunAsync(ExternalTools.Require("promtool"), ["check", "metrics"], TimeSpan.FromSeconds(20), Ct, standardInput: metrics);
        Assert.True(check.ExitCode == 0, check + "\n" + metrics);

        // Every operator metric the alert rules and the dashboard use is one this process exports.
        var used = MonitoringFiles.RuleExpressions().Concat(MonitoringFiles.DashboardExpressions())
            .SelectMany(e => MonitoringFiles.MetricNames(e.Item2)).Where(n => !n.StartsWith("gateway_", StringComparison.Ordinal)).ToHashSet();
        Assert.NotEmpty(used);
        Assert.Empty(used.Except(MonitoringFiles.ExportedFamilies(metrics)));
        Assert.Contains("\"EventId\"", process.ReadOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_NoApiServer_OneLineAndExitCode1()
    {
        var closed = new Uri($"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}/");

        var result = await ProcessRunner.RunAsync(GatewayProxy.FindExecutable(), ["operator", "--kubeconfig", WriteKubeconfig(closed)], TimeSpan.FromSeconds(30), Ct);

        AssertOneLine(result, 1, $"cannot reach the API server at {closed.ToString().TrimEnd('/')}");
    }

    [Fact]
    public async Task Operator_CrdsMissing_SaysSoAndExitCode1()
    {
        await using var server = new Testing.ApiServer.TestApiServer();
        await server.StartAsync();

        var result = await ProcessRunner.RunAsync(GatewayProxy.FindExecutable(), ["operator", "--kubeconfig", WriteKubeconfig(server.BaseAddress)], TimeSpan.FromSeconds(30), Ct);

        AssertOneLine(result, 1, "install the CRDs first");
    }

    [Theory]
    [InlineData("--http", "nope", "--http: 'nope' is not a URL")]
    [InlineData("--max-drain-time", "soon", "--max-drain-time: 'soon' is not a duration")]
    [InlineData("--pool-deletion-grace", "soon", "--pool-deletion-grace: 'soon' is not a duration")]
    [InlineData("--pool-deletion-grace", "0s", "--pool-deletion-grace: must be more than 0")]
    [InlineData("--max-surge", "-1", "--max-surge: must be 0 (no limit) or more")]
    [InlineData("--gateway-service", "gateway", "--gateway-service: 'gateway' is not NAMESPACE/NAME")]
    public async Task Operator_BadOption_OneLineAndExitCode2(string option, string value, string expected)
    {
        var result = await ProcessRunner.RunAsync(GatewayProxy.FindExecutable(), ["operator", option, value], TimeSpan.FromSeconds(30), Ct);

        AssertOneLine(result, 2, expected);
    }

    public void Dispose() => HostLogs.Remove(_root);

    private string WriteKubeconfig(Uri server) => OperatorProcess.WriteKubeconfig(_root, server);

    private static DesktopPool Pool(string ns, string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new DesktopPoolSpec
        {
            Template = new HostTemplate { Spec = JsonDocument.Parse("""{"containers":[{"name":"desktop","image":"example/vnc:1"}]}""").RootElement.Clone() },
            Protocols = [new ProtocolSpec { Name = "vnc", Kind = ProtocolKind.Vnc, Port = 5901, GatewayPort = 5900 }],
            Capacity = new CapacitySpec { MinHosts = 2, MaxHosts = 4, BufferSessions = 1 },
        },
    };

    /// <summary>/readyz answers 200; false while the process is still starting (connection refused).</summary>
    private static async Task<bool> ReadyAsync(string admin)
    {
        try
        {
            return (await Http.GetAsync($"{admin}/readyz")).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static void AssertOneLine(ProcessResult result, int exitCode, string expected)
    {
        Assert.False(result.TimedOut, result.ToString());
        Assert.True(result.ExitCode == exitCode, $"exit code {result.ExitCode}, expected {exitCode}: {result}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
