using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using DesktopOperator.Testing;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Api.Tests.Chart;

/// <summary>
/// No image can be built here (no container engine), so the image's content is proven instead: the app published
/// self-contained, started as the chart's non-root user with the chart operator container's arguments and
/// environment (nothing else: <c>env -i</c>) from a read-only working directory, serves /readyz 200 against the test
/// API server, and every request it makes is one the chart's RBAC allows.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PublishedAppTests(PublishedApp app) : IClassFixture<PublishedApp>, IDisposable
{
    private const string PoolNamespace = "desks";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly DirectoryInfo _readOnly = Directory.CreateTempSubdirectory("published-app-cwd-");
    private readonly DirectoryInfo _tmp = Directory.CreateTempSubdirectory("published-app-tmp-");
    private readonly DirectoryInfo _logs = Directory.CreateTempSubdirectory("published-app-logs-");

    [RootToolFact("helm", "setpriv", "env")]
    public async Task Operator_AsTheChartsUserWithItsArgumentsAndEnvironment_ReadyAndWithinItsRbac()
    {
        var chart = await RenderedChart.RenderAsync();
        var container = RenderedChart.Containers(chart.Deployment("operator")).Single();
        var uid = container["securityContext"]!["runAsUser"]!.GetValue<long>();
        var gid = container["securityContext"]!["runAsGroup"]!.GetValue<long>();
        await using var server = new TestApiServer();
        await server.StartAsync();
        foreach (var crd in RepositoryPaths.CrdFiles())
        {
            server.LoadCrdFile(crd);
        }

        server.EnsureNamespace(RenderedChart.Namespace);
        server.EnsureNamespace(PoolNamespace);
        var kubeconfig = WriteReadOnlyKubeconfig(server.BaseAddress);
        // The pod's /tmp is an emptyDir: here a fresh directory the user may write to.
        File.SetUnixFileMode(_tmp.FullName, (UnixFileMode)0b1_111_111_111);
        var admin = $"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}";
        // The chart's arguments, with two local stand-ins: --http on loopback (not 0.0.0.0) and a kubeconfig for the
        // test API server (in a pod: the service account).
        var arguments = RenderedChart.Args(container).Select(a => a.StartsWith("--http=", StringComparison.Ordinal) ? $"--http={admin}" : a).Append($"--kubeconfig={kubeconfig}");

        await using var process = ChildProcess.Start(
            "operator",
            ExternalTools.Require("setpriv"),
            [$"--reuid={uid}", $"--regid={gid}", "--clear-groups", "--", ExternalTools.Require("env"), "-i", $"--chdir={_readOnly.FullName}", .. Environment(container), app.Executable, .. arguments],
            _logs.FullName);

        await Eventually.TrueAsync(() => ReadyAsync(admin), () => $"/readyz answers 200: {process.ReadOutput()}", Ct, TimeSpan.FromSeconds(60));
        Assert.Equal($"Uid:\t{uid}\t{uid}\t{uid}\t{uid}", File.ReadLines($"/proc/{process.Id}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)));
        await CreatePoolAsync(server);
        await Eventually.TrueAsync(
            async () => (await Http.GetStringAsync($"{admin}/metrics")).Contains("operator_leader 1", StringComparison.Ordinal) && HostPodCreated(server),
            () => $"the operator leads and creates the pool's host: {process.ReadOutput()}", Ct, TimeSpan.FromSeconds(60));
        var rbac = new RbacAuthorizer(chart);
        var sa = RenderedChart.Release + "-desktop-operator-operator";
        // Every request but the test's own create of the pool.
        var requests = server.Requests.Snapshot().Select(ApiRequests.From).OfType<ApiRequest>().Distinct()
            .Where(r => r is not { Verb: "create", Resource: "desktoppools" }).ToList();
        Assert.Contains(requests, r => r is { Verb: "create", Resource: "pods" });
        Assert.Contains(requests, r => r is { Verb: "create", Group: "coordination.k8s.io" });
        Assert.All(requests, r => Assert.True(rbac.Allows(RenderedChart.Namespace, sa, r), $"the chart's RBAC refuses the operator's {r}"));
        Assert.False(process.HasExited, process.ReadOutput());
    }

    [RootToolFact("helm", "setpriv", "env")]
    public async Task Gateway_AsTheChartsUserWithItsArgumentsAndEnvironment_ReadyAndWithinItsRbac()
    {
        var chart = await RenderedChart.RenderAsync();
        var container = RenderedChart.Containers(chart.Deployment("gateway")).Single();
        var uid = container["securityContext"]!["runAsUser"]!.GetValue<long>();
        var gid = container["securityContext"]!["runAsGroup"]!.GetValue<long>();
        await using var server = new TestApiServer();
        await server.StartAsync();
        foreach (var crd in RepositoryPaths.CrdFiles())
        {
            server.LoadCrdFile(crd);
        }

        server.EnsureNamespace(RenderedChart.Namespace);
        var kubeconfig = WriteReadOnlyKubeconfig(server.BaseAddress);
        File.SetUnixFileMode(_tmp.FullName, (UnixFileMode)0b1_111_111_111);
        var admin = $"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}";
        // Local stand-ins as for the operator, and gateway ports on loopback (the chart's default is every address).
        var arguments = RenderedChart.Args(container).Select(a => a.StartsWith("--http=", StringComparison.Ordinal) ? $"--http={admin}" : a)
            .Append($"--kubeconfig={kubeconfig}").Append("--listen-address=127.0.0.1");

        await using var process = ChildProcess.Start(
            "gateway",
            ExternalTools.Require("setpriv"),
            [$"--reuid={uid}", $"--regid={gid}", "--clear-groups", "--", ExternalTools.Require("env"), "-i", $"--chdir={_readOnly.FullName}", .. Environment(container), app.Executable, .. arguments],
            _logs.FullName);

        await Eventually.TrueAsync(() => ReadyAsync(admin), () => $"/readyz answers 200: {process.ReadOutput()}", Ct, TimeSpan.FromSeconds(60));
        Assert.Equal($"Uid:\t{uid}\t{uid}\t{uid}\t{uid}", File.ReadLines($"/proc/{process.Id}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal)));
        var rbac = new RbacAuthorizer(chart);
        var sa = RenderedChart.Release + "-desktop-operator-gateway";
        var requests = server.Requests.Snapshot().Select(ApiRequests.From).OfType<ApiRequest>().Distinct().ToList();
        Assert.Contains(requests, r => r is { Verb: "watch", Resource: "desktoppools" });
        Assert.Contains(requests, r => r is { Verb: "watch", Resource: "pods" });
        Assert.All(requests, r => Assert.True(rbac.Allows(RenderedChart.Namespace, sa, r), $"the chart's RBAC refuses the gateway's {r}"));
        Assert.False(process.HasExited, process.ReadOutput());
    }

    public void Dispose()
    {
        _readOnly.Delete(recursive: true);
        _tmp.Delete(recursive: true);
        _logs.Delete(recursive: true);
    }

    /// <summary>The container's env as NAME=value: fieldRefs resolved as the kubelet does, /tmp mapped to the stand-in.</summary>
    private IEnumerable<string> Environment(JsonObject container)
    {
        foreach (var variable in container["env"]!.AsArray())
        {
            var name = variable!["name"]!.GetValue<string>();
            var value = variable["value"]?.GetValue<string>() ?? variable["valueFrom"]!["fieldRef"]!["fieldPath"]!.GetValue<string>() switch
            {
                "metadata.name" => RenderedChart.Release + "-desktop-operator-pod-0",
                "metadata.namespace" => RenderedChart.Namespace,
                var path => throw new InvalidOperationException($"env {name}: no stand-in for fieldRef {path}"),
            };
            yield return $"{name}={(value == "/tmp" ? _tmp.FullName : value)}";
        }
    }

    private string WriteReadOnlyKubeconfig(Uri server)
    {
        var path = Path.Combine(_readOnly.FullName, "kubeconfig");
        File.WriteAllText(path, $$"""
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
            """);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(_readOnly.FullName, (UnixFileMode)0b101_101_101);
        return path;
    }

    private static async Task CreatePoolAsync(TestApiServer server)
    {
        using var http = server.CreateClient();
        using var body = new StringContent(
            """
            {"apiVersion":"desktop-operator.io/v1alpha1","kind":"DesktopPool","metadata":{"name":"desk"},
             "spec":{"template":{"spec":{"containers":[{"name":"desktop","image":"example/vnc:1"}]}},
                     "protocols":[{"name":"vnc","kind":"Vnc","port":5901,"gatewayPort":5900}],
                     "capacity":{"minHosts":1,"maxHosts":2}}}
            """,
            Encoding.UTF8,
            "application/json");
        using var response = await http.PostAsync(new Uri($"apis/desktop-operator.io/v1alpha1/namespaces/{PoolNamespace}/desktoppools", UriKind.Relative), body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    private static bool HostPodCreated(TestApiServer server) =>
        server.Requests.Count(r => r.Method == "POST" && r.Path == $"/api/v1/namespaces/{PoolNamespace}/pods") > 0;

    private static async Task<bool> ReadyAsync(string admin)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri($"{admin}/readyz"));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
