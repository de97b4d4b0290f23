using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Config;

/// <summary>Kubeconfig variants against the test API server over HTTPS on 127.0.0.1, its cluster CA the test CA.</summary>
public sealed class KubeConfigTlsTests : IDisposable
{
    private static readonly KubeRetryPolicy NoRetries = new() { MaxAttempts = 1 };
    private readonly TestCertificates _certs = TestCertificates.Create();
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task CaDataAndEcClientCertificateData_AuthenticateOverTls()
    {
        await using var server = await StartTlsServerAsync();
        var path = _folder.Write("config", $"""
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: local
              cluster:
                server: {server.BaseAddress}
                certificate-authority-data: {B64(_certs.CaPem)}
            contexts:
            - name: dev
              context: {"{"}cluster: local, user: ec, namespace: team-a{"}"}
            users:
            - name: ec
              user:
                client-certificate-data: {B64(_certs.EcClient.ExportCertificatePem())}
                client-key-data: {B64(TestCertificates.KeyPem(_certs.EcClient))}
            """);

        var config = KubeClientSettings.BuildConfigFromConfigFile(path);
        using var client = TestClient.For(config, policy: NoRetries);
        var ns = await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.Equal("default", ns.Metadata.Name);
        Assert.Equal("team-a", config.Namespace);
        Assert.Equal("dev", config.CurrentContext);
        Assert.Equal("ec-user", server.Requests.Snapshot()[^1].User);
        Assert.Null(server.Requests.Snapshot()[0].Authorization);
    }

    [Fact]
    public async Task CaFileAndRsaClientCertificateFiles_RelativeToTheKubeconfigFolder_AuthenticateOverTls()
    {
        await using var server = await StartTlsServerAsync();
        _folder.Write("pki/ca.crt", _certs.CaPem);
        _folder.Write("pki/user.crt", _certs.RsaClient.ExportCertificatePem());
        _folder.Write("pki/user.key", TestCertificates.KeyPem(_certs.RsaClient));
        var path = _folder.Write("config", $"""
            current-context: dev
            clusters:
            - name: local
              cluster:
                server: "{server.BaseAddress}"
                certificate-authority: pki/ca.crt
            contexts:
            - name: dev
              context:
                cluster: local
                user: rsa
            users:
            - name: rsa
              user:
                client-certificate: pki/user.crt
                client-key: pki/user.key
            """);

        using var client = TestClient.For(KubeClientSettings.BuildConfigFromConfigFile(path), policy: NoRetries);
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.Equal("rsa-user", server.Requests.Snapshot()[^1].User);
    }

    [Fact]
    public async Task ServerCertificateFromAnotherCa_IsRejected()
    {
        await using var server = await StartTlsServerAsync();
        using var otherCa = TestCertificates.Create("other-ca");
        var path = _folder.Write("config", TokenConfig(server.BaseAddress, $"certificate-authority-data: {B64(otherCa.CaPem)}"));

        using var client = TestClient.For(KubeClientSettings.BuildConfigFromConfigFile(path), policy: NoRetries);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync<V1Namespace>("default", null, CancellationToken.None));

        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
        Assert.Empty(server.Requests.Snapshot());
    }

    [Fact]
    public async Task InsecureSkipTlsVerify_AcceptsAnUntrustedServerAndSendsTheToken()
    {
        await using var server = await StartTlsServerAsync();
        var path = _folder.Write("config", TokenConfig(server.BaseAddress, "insecure-skip-tls-verify: true"));

        var config = KubeClientSettings.BuildConfigFromConfigFile(path);
        using var client = TestClient.For(config, policy: NoRetries);
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.True(config.SkipTlsVerify);
        Assert.Equal("Bearer secret-token", server.Requests.Snapshot()[0].Authorization);
    }

    [Fact]
    public async Task WithoutCa_SystemTrustRejectsTheTestCa()
    {
        await using var server = await StartTlsServerAsync();
        var path = _folder.Write("config", TokenConfig(server.BaseAddress, "tls-server-name: localhost"));

        using var client = TestClient.For(KubeClientSettings.BuildConfigFromConfigFile(path), policy: NoRetries);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync<V1Namespace>("default", null, CancellationToken.None));
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("api.example.test", false)]
    public async Task TlsServerName_IsTheNameCheckedInTheServerCertificate(string serverName, bool accepted)
    {
        await using var server = await StartTlsServerAsync();
        var path = _folder.Write("config", TokenConfig(server.BaseAddress, $"certificate-authority-data: {B64(_certs.CaPem)}\n    tls-server-name: {serverName}"));
        using var client = TestClient.For(KubeClientSettings.BuildConfigFromConfigFile(path), policy: NoRetries);

        var get = client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        if (accepted)
        {
            await get;
            Assert.Single(server.Requests.Snapshot());
        }
        else
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => get);
            Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
        }
    }

    [Fact]
    public async Task TlsServerName_IsTheSniAndTheCertificateName_WhileTheConnectionAndHostHeaderStayTheUrls()
    {
        using var internalName = _certs.IssueServerFor("api.internal");
        await using var server = await StartTlsServerAsync(internalName);
        var path = _folder.Write("config", $"""
            current-context: c
            clusters:
            - name: k
              cluster:
                server: {server.BaseAddress}
                certificate-authority-data: {B64(_certs.CaPem)}
                tls-server-name: api.internal
            contexts:
            - name: c
              context: {"{"}cluster: k, user: u{"}"}
            users:
            - name: u
              user:
                client-certificate-data: {B64(_certs.EcClient.ExportCertificatePem())}
                client-key-data: {B64(TestCertificates.KeyPem(_certs.EcClient))}
            """);
        using var client = TestClient.For(KubeClientSettings.BuildConfigFromConfigFile(path), policy: NoRetries);

        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.StartsWith("https://127.0.0.1:", server.BaseAddress.AbsoluteUri, StringComparison.Ordinal);
        // One connection is expected, but a second one (a dropped idle connection) must carry the same name.
        Assert.NotEmpty(server.TlsServerNames);
        Assert.All(server.TlsServerNames, name => Assert.Equal("api.internal", name));
        Assert.All(server.Requests.Snapshot(), r => Assert.Equal(server.BaseAddress.Authority, r.Host));
        Assert.Equal(2, server.Requests.Snapshot().Count);
        Assert.Equal("ec-user", server.Requests.Snapshot()[^1].User);
    }

    [Fact]
    public async Task TlsServerName_CertificateOfTheClusterCaForAnotherName_IsRefusedWithNameMismatch()
    {
        using var otherName = _certs.IssueServerFor("other.example.test");
        await using var server = await StartTlsServerAsync(otherName);
        var path = _folder.Write("config", TokenConfig(server.BaseAddress, $"certificate-authority-data: {B64(_certs.CaPem)}\n    tls-server-name: api.internal"));
        using var client = TestClient.For(KubeClientSettings.BuildConfigFromConfigFile(path), policy: NoRetries);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync<V1Namespace>("default", null, CancellationToken.None));

        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
        Assert.Contains(nameof(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch), error.InnerException?.Message ?? "", StringComparison.Ordinal);
        Assert.Equal(["api.internal"], server.TlsServerNames);
        Assert.Empty(server.Requests.Snapshot());
    }

    public void Dispose()
    {
        _certs.Dispose();
        _folder.Dispose();
    }

    internal static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string TokenConfig(Uri server, string clusterExtra) => $"""
        current-context: c
        clusters:
        - name: k
          cluster:
            server: {server}
            {clusterExtra}
        contexts:
        - name: c
          context: {"{"}cluster: k, user: u{"}"}
        users:
        - name: u
          user: {"{"}token: secret-token{"}"}
        """;

    /// <summary>
    /// The test API server over HTTPS with the test CA as its cluster CA: it authenticates client certificates of that
    /// CA (the user is the CN) and the token <c>secret-token</c>, and refuses requests with neither (no anonymous).
    /// </summary>
    private async Task<TestApiServer> StartTlsServerAsync(X509Certificate2? servingCertificate = null)
    {
        var server = new TestApiServer(new TestApiServerOptions
        {
            Tls = new TestApiServerTls { CertificateAuthority = _certs.Authority, ServingCertificate = servingCertificate ?? _certs.Server },
            BearerToken = "secret-token",
            AnonymousAuth = false,
        });
        await server.StartAsync();
        return server;
    }
}
