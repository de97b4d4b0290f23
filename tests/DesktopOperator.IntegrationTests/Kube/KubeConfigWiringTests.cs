using System.Net;
using System.Security.Cryptography.X509Certificates;
using DesktopOperator.IntegrationTests.Conformance;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Testing.ApiServer;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Kube;

/// <summary>
/// Generated kubeconfigs for a TestApiServer over HTTPS (its own cluster CA in <c>certificate-authority-data</c>) that
/// authenticates a bearer token and client certificates of that CA: what <c>DESKTOP_OPERATOR_TEST_KUBECONFIG</c> gets
/// from a real cluster.
/// </summary>
public sealed class KubeConfigWiringTests : IAsyncLifetime, IDisposable
{
    private const string Token = "s3cr3t-token";
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;
    private TestApiServer _server = null!;
    private X509Certificate2 _alice = null!;

    public async Task InitializeAsync()
    {
        var options = new TestApiServerOptions { BearerToken = Token, Tls = new TestApiServerTls() };
        options.Namespaces.Add("t");
        _server = new TestApiServer(options);
        await _server.StartAsync();
        _alice = _server.IssueClientCertificate("alice", "system:masters");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _alice.Dispose();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TypedClient_KubeconfigWithRightToken_ListsAndCreatesOverTls()
    {
        var config = KubeClientSettings.BuildConfigFromConfigFile(WriteKubeconfig("token", token: Token));
        using var client = new KubernetesClient(config);

        var created = await client.CreateAsync(Pod("p1"), CancellationToken.None);
        var list = await client.ListAsync<V1Pod>("t", null, CancellationToken.None);

        Assert.Equal("https", config.Host.Scheme);
        Assert.Equal("t", config.Namespace);
        Assert.Equal(created.Metadata.Uid, Assert.Single(list.Items).Metadata.Uid);
        Assert.All(_server.Requests.Snapshot(), r => Assert.Equal(TestApiServer.TokenUser, r.User));
    }

    [Fact]
    public async Task TypedClient_KubeconfigWithWrongToken_ThrowsUnauthorized()
    {
        using var client = new KubernetesClient(KubeClientSettings.BuildConfigFromConfigFile(WriteKubeconfig("wrong", token: "wrong")));

        var ex = await Assert.ThrowsAsync<KubeUnauthorizedException>(() => client.ListAsync<V1Pod>("t", null, CancellationToken.None));

        Assert.Equal(401, ex.StatusCode);
    }

    [Fact]
    public async Task RealClusterTarget_KubeconfigHandler_SendsTheTokenOrTheClientCertificate()
    {
        var token = RealClusterTarget.LoadConfiguration(WriteKubeconfig("token", token: Token));
        var certificate = RealClusterTarget.LoadConfiguration(WriteKubeconfig("alice", certificate: _alice));
        var bad = RealClusterTarget.LoadConfiguration(WriteKubeconfig("wrong", token: "wrong"));

        Assert.Equal(_server.BaseAddress, token.Host);
        Assert.Equal(HttpStatusCode.OK, await GetPodsAsync(token));
        Assert.Equal(HttpStatusCode.OK, await GetPodsAsync(certificate));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetPodsAsync(bad));
        Assert.Equal([TestApiServer.TokenUser, "alice", null], _server.Requests.Snapshot().Select(r => r.User));
    }

    [Fact]
    public Task RealClusterTarget_FromATokenKubeconfigOverTls_PassesTheConformanceSuite() =>
        PassesTheConformanceSuiteAsync(WriteKubeconfig("token", token: Token), TestApiServer.TokenUser);

    [Fact]
    public Task RealClusterTarget_FromAClientCertificateKubeconfigOverTls_PassesTheConformanceSuite() =>
        PassesTheConformanceSuiteAsync(WriteKubeconfig("alice", certificate: _alice), "alice");

    [Fact]
    public void RealClusterTarget_BrokenKubeconfig_NamesTheField()
    {
        var path = Path.Combine(_dir, "broken");
        File.WriteAllText(path, _server.Kubeconfig(Token).Replace("server:", "serverr:", StringComparison.Ordinal));

        var ex = Assert.Throws<KubeConfigException>(() => RealClusterTarget.LoadConfiguration(path));

        Assert.Contains("server", ex.Message, StringComparison.Ordinal);
    }

    private async Task PassesTheConformanceSuiteAsync(string kubeconfig, string user)
    {
        // The path DESKTOP_OPERATOR_TEST_KUBECONFIG takes, pointed at the TestApiServer: every check, one namespace each.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var target = RealClusterTarget.FromKubeconfig(kubeconfig);
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
        Assert.All(_server.Requests.Snapshot(), r => Assert.Equal(user, r.User));
        using var http = _server.CreateClient();
        var namespaces = await Conformance.KubeJson.GetAsync(http, "api/v1/namespaces", cts.Token);
        var live = namespaces!["items"]!.AsArray()
            .Where(n => n!["metadata"]!["name"]!.ToString().StartsWith("conf-", StringComparison.Ordinal) && n["metadata"]!["deletionTimestamp"] is null)
            .Select(n => n!["metadata"]!["name"]!.ToString());
        Assert.Empty(live);
    }

    private static async Task<HttpStatusCode> GetPodsAsync(KubeClientSettings settings)
    {
        using var http = new HttpClient(settings.CreateHttpMessageHandler()) { BaseAddress = settings.Host };
        using var response = await http.GetAsync(new Uri("api/v1/namespaces/t/pods", UriKind.Relative));
        return response.StatusCode;
    }

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "t" },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };

    private string WriteKubeconfig(string name, string? token = null, X509Certificate2? certificate = null)
    {
        var path = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(path, _server.Kubeconfig(token, certificate, @namespace: "t"));
        return path;
    }
}
