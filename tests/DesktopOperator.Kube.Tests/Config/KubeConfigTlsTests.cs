using System.Net.Http;
using System.Text;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Config;

/// <summary>Kubeconfig variants against a real HTTPS server on 127.0.0.1 that requires a CA-issued client certificate.</summary>
public sealed class KubeConfigTlsTests : IDisposable
{
    private const string NamespaceJson = """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}""";
    private static readonly KubeRetryPolicy NoRetries = new() { MaxAttempts = 1 };
    private readonly TestCertificates _certs = TestCertificates.Create();
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task CaDataAndEcClientCertificateData_AuthenticateOverTls()
    {
        await using var server = await StartTlsServerAsync(requireClientCertificate: true);
        var path = _folder.Write("config", $"""
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: local
              cluster:
                server: {server.Address}
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
        Assert.Equal("CN=ec-user", server.LastClientCertificateSubject);
        Assert.Null(server.All[0].Authorization);
    }

    [Fact]
    public async Task CaFileAndRsaClientCertificateFiles_RelativeToTheKubeconfigFolder_AuthenticateOverTls()
    {
        await using var server = await StartTlsServerAsync(requireClientCertificate: true);
        _folder.Write("pki/ca.crt", _certs.CaPem);
        _folder.Write("pki/user.crt", _certs.RsaClient.ExportCertificatePem());
        _folder.Write("pki/user.key", TestCertificates.KeyPem(_certs.RsaClient));
        var path = _folder.Write("config", $"""
            current-context: dev
            clusters:
            - name: local
              cluster:
                server: "{server.Address}"
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

        Assert.Equal("CN=rsa-user", server.LastClientCertificateSubject);
    }

    [Fact]
    public async Task ServerCertificateFromAnotherCa_IsRejected()
    {
        await using var server = await StartTlsServerAsync(requireClientCertificate: false);
        using var otherCa = TestCertificates.Create("other-ca");
        var path = _folder.Write("config", TokenConfig(server.Address, $"certificate-authority-data: {B64(otherCa.CaPem)}"));

        using var client = TestClient.For(KubeClientSettings.BuildConfigFromConfigFile(path), policy: NoRetries);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync<V1Namespace>("default", null, CancellationToken.None));

        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
        Assert.Empty(server.All);
    }

    [Fact]
    public async Task InsecureSkipTlsVerify_AcceptsAnUntrustedServerAndSendsTheToken()
    {
        await using var server = await StartTlsServerAsync(requireClientCertificate: false);
        var path = _folder.Write("config", TokenConfig(server.Address, "insecure-skip-tls-verify: true"));

        var config = KubeClientSettings.BuildConfigFromConfigFile(path);
        using var client = TestClient.For(config, policy: NoRetries);
        await client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        Assert.True(config.SkipTlsVerify);
        Assert.Equal("Bearer secret-token", server.All[0].Authorization);
    }

    [Fact]
    public async Task WithoutCa_SystemTrustRejectsTheTestCa()
    {
        await using var server = await StartTlsServerAsync(requireClientCertificate: false);
        var path = _folder.Write("config", TokenConfig(server.Address, "tls-server-name: localhost"));

        using var client = TestClient.For(KubeClientSettings.BuildConfigFromConfigFile(path), policy: NoRetries);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync<V1Namespace>("default", null, CancellationToken.None));
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("api.example.test", false)]
    public async Task TlsServerName_IsTheNameCheckedInTheServerCertificate(string serverName, bool accepted)
    {
        await using var server = await StartTlsServerAsync(requireClientCertificate: false);
        var path = _folder.Write("config", TokenConfig(server.Address, $"certificate-authority-data: {B64(_certs.CaPem)}\n    tls-server-name: {serverName}"));
        using var client = TestClient.For(KubeClientSettings.BuildConfigFromConfigFile(path), policy: NoRetries);

        var get = client.GetAsync<V1Namespace>("default", null, CancellationToken.None);

        if (accepted)
        {
            await get;
            Assert.Single(server.All);
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
        await using var server = await FakeApiServer.StartAsync((c, _) => FakeApiServer.Json(c, 200, NamespaceJson), internalName, requireClientCertificate: true, _certs.Ca);
        var path = _folder.Write("config", $"""
            current-context: c
            clusters:
            - name: k
              cluster:
                server: {server.Address}
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

        Assert.StartsWith("https://127.0.0.1:", server.Address.AbsoluteUri, StringComparison.Ordinal);
        // One connection is expected, but a second one (a dropped idle connection) must carry the same name.
        Assert.NotEmpty(server.ServerNames);
        Assert.All(server.ServerNames, name => Assert.Equal("api.internal", name));
        Assert.All(server.All, r => Assert.Equal(server.Address.Authority, r.Host));
        Assert.Equal(2, server.All.Count);
        Assert.Equal("CN=ec-user", server.LastClientCertificateSubject);
    }

    [Fact]
    public async Task TlsServerName_CertificateOfTheClusterCaForAnotherName_IsRefusedWithNameMismatch()
    {
        using var otherName = _certs.IssueServerFor("other.example.test");
        await using var server = await FakeApiServer.StartAsync((c, _) => FakeApiServer.Json(c, 200, NamespaceJson), otherName, false);
        var path = _folder.Write("config", TokenConfig(server.Address, $"certificate-authority-data: {B64(_certs.CaPem)}\n    tls-server-name: api.internal"));
        using var client = TestClient.For(KubeClientSettings.BuildConfigFromConfigFile(path), policy: NoRetries);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync<V1Namespace>("default", null, CancellationToken.None));

        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
        Assert.Contains(nameof(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch), error.InnerException?.Message ?? "", StringComparison.Ordinal);
        Assert.Equal(["api.internal"], server.ServerNames);
        Assert.Empty(server.All);
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

    private Task<FakeApiServer> StartTlsServerAsync(bool requireClientCertificate) =>
        FakeApiServer.StartAsync((c, _) => FakeApiServer.Json(c, 200, NamespaceJson), _certs.Server, requireClientCertificate, _certs.Ca);
}
