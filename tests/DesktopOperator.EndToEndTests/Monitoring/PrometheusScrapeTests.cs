using System.Net;
using System.Text;
using System.Text.Json;
using DesktopOperator.EndToEndTests.Standalone;
using DesktopOperator.Testing;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Desktops.Clients;
using DesktopOperator.Testing.Kubelet;
using DesktopOperator.Testing.Monitoring;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.EndToEndTests.Monitoring;

/// <summary>
/// A real Prometheus on loopback scrapes a standalone gateway (serving a real Xvnc host) and the operator (against
/// the test API server with a pool): the key series exist, every dashboard query returns data, and every metric the
/// alert rules use has series while each rule's expression evaluates without error.
/// </summary>
public sealed class PrometheusScrapeTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [ToolFact("prometheus", "Xvnc", "setsid")]
    public async Task Prometheus_ScrapesGatewayAndOperator_DashboardAndRuleQueriesAnswer()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var ct = cts.Token;
        using var folders = new GatewayFolders("prometheus-scrape");
        await using var host = await XvncHost.StartAsync(new XvncHostOptions("vnc-p1", LoopbackPorts.Address(61)), ct);
        var vncPort = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        folders.WritePool(GatewayProxy.ManifestFile, new ProxySetup(IPAddress.Loopback, [new ProxyBackend(host.DesktopName, host.Endpoint)], ProxyBalancing.RoundRobin), vncPort);
        await using var gateway = await StandaloneGateway.StartAsync(folders.Options("gateway"), ct);
        await RfbClient.ReadServerInitAsync(new IPEndPoint(IPAddress.Loopback, vncPort), TimeSpan.FromSeconds(20), ct, LoopbackPorts.Address(230), XvncHostOptions.DefaultPassword);

        var ns = "prom-" + Guid.NewGuid().ToString("N")[..6];
        var apiOptions = new TestApiServerOptions();
        apiOptions.Namespaces.Add(ns);
        foreach (var crd in RepositoryPaths.CrdFiles())
        {
            apiOptions.CrdFiles.Add(crd);
        }

        await using var api = new TestApiServer(apiOptions);
        await api.StartAsync(ct);
        await using var kubelet = new SimulatedKubelet(api.CreateClient(), new SimulatedKubeletOptions { GracePeriodScale = 0 });
        await kubelet.StartAsync(ct);
        var operatorAdmin = new Uri($"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}/");
        var kubeconfig = Path.Combine(folders.Root, "kubeconfig");
        File.WriteAllText(kubeconfig, Kubeconfig(api.BaseAddress));
        await using var operatorProcess = ChildProcess.Start(
            "operator", GatewayProxy.FindExecutable(),
            ["operator", "--kubeconfig", kubeconfig, "--namespace", ns, "--http", operatorAdmin.ToString().TrimEnd('/')],
            folders.Root);
        using var created = await api.CreateClient().PostAsync(
            $"/apis/desktop-operator.io/v1alpha1/namespaces/{ns}/desktoppools",
            new StringContent(PoolJson(ns), Encoding.UTF8, "application/json"), ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));

        var prometheusPort = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        var config = Path.Combine(folders.Root, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: gateway
                static_configs:
                  - targets: ["{gateway.AdminUri.Authority}"]
              - job_name: operator
                static_configs:
                  - targets: ["{operatorAdmin.Authority}"]
            """);
        await using var prometheus = ChildProcess.Start(
            "prometheus", ExternalTools.Require("prometheus"),
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folders.Root, "tsdb")}", $"--web.listen-address=127.0.0.1:{prometheusPort}"],
            folders.Root);
        var api1 = $"http://127.0.0.1:{prometheusPort}/api/v1/query?query=";

        async Task<JsonElement> QueryAsync(string expr)
        {
            using var doc = JsonDocument.Parse(await Http.GetStringAsync(api1 + Uri.EscapeDataString(expr), ct));
            Assert.Equal("success", doc.RootElement.GetProperty("status").GetString());
            return doc.RootElement.GetProperty("data").GetProperty("result").Clone();
        }

        async Task<bool> HasDataAsync(string expr)
        {
            try
            {
                return (await QueryAsync(expr)).GetArrayLength() > 0;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        // Both targets up, the pool's two hosts Ready, and enough samples for rate() over the dashboard's window.
        await Eventually.TrueAsync(() => HasDataAsync("count(up == 1) == 2"), () => $"both targets are up: {prometheus.ReadOutput()}", ct, TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => HasDataAsync($"operator_pool_hosts{{namespace=\"{ns}\",pool=\"desk\",state=\"Ready\"}} == 2"), "Prometheus sees the pool's two ready hosts: " + operatorProcess.ReadOutput(), ct, TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => HasDataAsync("count_over_time(gateway_bytes_total[5m]) >= 3"), "three scrapes of the gateway", ct, TimeSpan.FromSeconds(30));

        foreach (var key in new[] { "operator_leader == 1", "operator_pool_free_slots", "controller_runtime_reconcile_total", "workqueue_depth", "gateway_connections_total{result=\"ok\"} > 0", "gateway_bytes_total > 0", "gateway_host_healthy == 1" })
        {
            Assert.True(await HasDataAsync(key), $"no series for {key}");
        }

        // A counter first seen in the latest scrape has one sample, too few for increase(): on a loaded machine the
        // first health transitions can land late, so wait (bounded) until every panel has data, then name the ones without.
        var empty = new List<string>();
        async Task<bool> EveryPanelHasDataAsync()
        {
            empty.Clear();
            foreach (var (panel, expr) in MonitoringFiles.DashboardExpressions())
            {
                if (!await HasDataAsync(MonitoringFiles.Resolve(expr)))
                {
                    empty.Add($"{panel}: {expr}");
                }
            }

            return empty.Count == 0;
        }

        try
        {
            await Eventually.TrueAsync(EveryPanelHasDataAsync, "every dashboard panel has data", ct, TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            Assert.Empty(empty); // names the panels without data
        }
        foreach (var (alert, expr) in MonitoringFiles.RuleExpressions())
        {
            await QueryAsync(expr);
            foreach (var metric in MonitoringFiles.MetricNames(expr))
            {
                Assert.True(await HasDataAsync(metric), $"{alert}: no series of {metric}");
            }
        }
    }

    private static string Kubeconfig(Uri server) => $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: {{server.ToString().TrimEnd('/')}}
        users:
        - name: test
          user: {}
        contexts:
        - name: test
          context:
            cluster: test
            user: test
        current-context: test
        """;

    private static string PoolJson(string ns) => """
        {"apiVersion":"desktop-operator.io/v1alpha1","kind":"DesktopPool","metadata":{"name":"desk","namespace":"NAMESPACE"},
         "spec":{"template":{"spec":{"containers":[{"name":"desktop","image":"example/vnc:1"}]}},
                 "protocols":[{"name":"vnc","kind":"Vnc","port":5901,"gatewayPort":5900}],
                 "capacity":{"minHosts":2,"maxHosts":4,"bufferSessions":1}}}
        """.Replace("NAMESPACE", ns, StringComparison.Ordinal);
}
