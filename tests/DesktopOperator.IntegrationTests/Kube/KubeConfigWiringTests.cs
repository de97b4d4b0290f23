using System.Net;
using DesktopOperator.IntegrationTests.Conformance;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Testing.ApiServer;
using k8s;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Kube;

/// <summary>A generated kubeconfig pointing at a TestApiServer that requires a bearer token.</summary>
public sealed class KubeConfigWiringTests : IAsyncLifetime, IDisposable
{
    private const string Token = "s3cr3t-token";
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;
    private TestApiServer _server = null!;

    public async Task InitializeAsync()
    {
        var options = new TestApiServerOptions { BearerToken = Token };
        options.Namespaces.Add("t");
        _server = new TestApiServer(options);
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TypedClient_KubeconfigWithRightToken_ListsAndCreates()
    {
        var config = KubeClientSettings.BuildConfigFromConfigFile(WriteKubeconfig(Token));
        using var client = new KubernetesClient(config);

        var created = await client.CreateAsync(Pod("p1"), CancellationToken.None);
        var list = await client.ListAsync<V1Pod>("t", null, CancellationToken.None);

        Assert.Equal("t", config.Namespace);
        Assert.Equal(created.Metadata.Uid, Assert.Single(list.Items).Metadata.Uid);
    }

    [Fact]
    public async Task TypedClient_KubeconfigWithWrongToken_ThrowsUnauthorized()
    {
        using var client = new KubernetesClient(KubeClientSettings.BuildConfigFromConfigFile(WriteKubeconfig("wrong")));

        var ex = await Assert.ThrowsAsync<KubeUnauthorizedException>(() => client.ListAsync<V1Pod>("t", null, CancellationToken.None));

        Assert.Equal(401, ex.StatusCode);
    }

    [Fact]
    public async Task RealClusterTarget_KubeconfigHandler_SendsTheToken()
    {
        var good = RealClusterTarget.LoadConfiguration(WriteKubeconfig(Token));
        var bad = RealClusterTarget.LoadConfiguration(WriteKubeconfig("wrong"));
        using var goodHttp = new HttpClient(good.CreateHttpMessageHandler()) { BaseAddress = good.Host };
        using var badHttp = new HttpClient(bad.CreateHttpMessageHandler()) { BaseAddress = bad.Host };

        using var ok = await goodHttp.GetAsync(new Uri("api/v1/namespaces/t/pods", UriKind.Relative));
        using var denied = await badHttp.GetAsync(new Uri("api/v1/namespaces/t/pods", UriKind.Relative));

        Assert.Equal(_server.BaseAddress, good.Host);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
    }

    [Fact]
    public async Task RealClusterTarget_FromATokenKubeconfig_PassesTheConformanceSuite()
    {
        // The path DESKTOP_OPERATOR_TEST_KUBECONFIG takes, pointed at the TestApiServer: every check, one namespace each.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var target = RealClusterTarget.FromKubeconfig(WriteKubeconfig(Token));
        await target.EnsureWidgetCrdAsync(cts.Token);
        foreach (var (name, check) in ConformanceChecks.All)
        {
            var ns = await target.CreateNamespaceAsync(cts.Token);
            try
            {
                await check(target, ns, cts.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new InvalidOperationException($"conformance check {name} failed through the kubeconfig target", ex);
            }
        }

        // Disposing the target deletes every namespace it created (a real cluster keeps no leftovers).
        await target.DisposeAsync();
        using var http = _server.CreateClient();
        var namespaces = await Conformance.KubeJson.GetAsync(http, "api/v1/namespaces", cts.Token);
        var live = namespaces!["items"]!.AsArray()
            .Where(n => n!["metadata"]!["name"]!.ToString().StartsWith("conf-", StringComparison.Ordinal) && n["metadata"]!["deletionTimestamp"] is null)
            .Select(n => n!["metadata"]!["name"]!.ToString());
        Assert.Empty(live);
    }

    [Fact]
    public void RealClusterTarget_BrokenKubeconfig_NamesTheField()
    {
        var path = Path.Combine(_dir, "broken");
        File.WriteAllText(path, WriteKubeconfigText(Token).Replace("server:", "serverr:", StringComparison.Ordinal));

        var ex = Assert.Throws<KubeConfigException>(() => RealClusterTarget.LoadConfiguration(path));

        Assert.Contains("server", ex.Message, StringComparison.Ordinal);
    }

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "t" },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };

    private string WriteKubeconfig(string token)
    {
        var path = Path.Combine(_dir, token + ".yaml");
        File.WriteAllText(path, WriteKubeconfigText(token));
        return path;
    }

    private string WriteKubeconfigText(string token) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: {_server.BaseAddress.AbsoluteUri.TrimEnd('/')}
        users:
        - name: tester
          user:
            token: "{token}"
        contexts:
        - name: ctx
          context: {"{"}cluster: test, user: tester, namespace: t{"}"}
        current-context: ctx
        """;
}
