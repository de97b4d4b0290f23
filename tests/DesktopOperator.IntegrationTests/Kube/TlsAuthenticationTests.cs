using System.Net;
using System.Net.Security;
using System.Text.Json.Nodes;
using DesktopOperator.IntegrationTests.Conformance;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Tls;

namespace DesktopOperator.IntegrationTests.Kube;

/// <summary>
/// The TestApiServer over HTTPS refuses what kube-apiserver refuses, and our client refuses what it must, each through a
/// kubeconfig loaded by <see cref="RealClusterTarget"/>. What the package itself gets wrong about server names is shown
/// once, against a raw server, in Kube.Tests' <c>PackageTlsGapTests</c>; here our client meets the test API server.
/// </summary>
public sealed class TlsAuthenticationTests : IDisposable
{
    private const string Pods = "api/v1/namespaces/default/pods";

    /// <summary>Transcript 14's 401 ("invalid bearer token"), the body for every credential that does not verify.</summary>
    private static readonly JsonNode Unauthorized = JsonNode.Parse(
        """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""")!;

    private readonly string _dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ClientCertificateOfAnotherCa_Is401()
    {
        await using var server = await StartAsync(new TestApiServerTls());
        using var otherCa = new TestCertificateAuthority("another cluster's CA");
        using var mallory = otherCa.IssueClient("mallory", ["system:masters"]);

        var (status, body) = await GetAsync(server.Kubeconfig(clientCertificate: mallory));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(JsonNode.DeepEquals(Unauthorized, body), body?.ToJsonString());
        Assert.Null(Assert.Single(server.Requests.Snapshot()).User);
    }

    [Fact]
    public async Task WrongToken_Is401_EvenOverTls()
    {
        await using var server = await StartAsync(new TestApiServerTls(), token: "right");

        var (status, body) = await GetAsync(server.Kubeconfig(token: "wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.True(JsonNode.DeepEquals(Unauthorized, body), body?.ToJsonString());
    }

    [Fact]
    public async Task NoCredentials_IsAnonymous403_Or401WithAnonymousAuthOff()
    {
        await using var anonymousOn = await StartAsync(new TestApiServerTls());
        await using var anonymousOff = await StartAsync(new TestApiServerTls(), anonymousAuth: false);

        var (forbidden, why) = await GetAsync(anonymousOn.Kubeconfig());
        var (unauthorized, body) = await GetAsync(anonymousOff.Kubeconfig());

        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal("pods is forbidden: User \"system:anonymous\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", why!["message"]!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized);
        Assert.True(JsonNode.DeepEquals(Unauthorized, body), body?.ToJsonString());
    }

    [Fact]
    public async Task ServerCertificateOfTheClusterCaForAnotherName_IsRefusedWithNameMismatch()
    {
        using var ca = new TestCertificateAuthority("cluster CA");
        using var otherName = ca.IssueServerFor("other.example.test");
        await using var server = await StartAsync(new TestApiServerTls { CertificateAuthority = ca, ServingCertificate = otherName }, token: "t");
        await using var target = RealClusterTarget.FromKubeconfig(Write(server.Kubeconfig(token: "t")));
        using var client = target.CreateClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(Pods));

        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
        Assert.Contains(nameof(SslPolicyErrors.RemoteCertificateNameMismatch), error.InnerException?.Message ?? "", StringComparison.Ordinal);
        Assert.Empty(server.Requests.Snapshot());
    }

    private static async Task<TestApiServer> StartAsync(TestApiServerTls tls, string? token = null, bool anonymousAuth = true)
    {
        var server = new TestApiServer(new TestApiServerOptions { Tls = tls, BearerToken = token, AnonymousAuth = anonymousAuth });
        await server.StartAsync();
        return server;
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string kubeconfig)
    {
        await using var target = RealClusterTarget.FromKubeconfig(Write(kubeconfig));
        using var client = target.CreateClient();
        using var response = await client.GetAsync(Pods);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    private string Write(string kubeconfig)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, kubeconfig);
        return path;
    }
}
