using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using k8s;

namespace DesktopOperator.Kube.Tests.Package;

/// <summary>
/// Where KubernetesClient 21.0.8's own TLS setup falls short (README, "Dependencies and why"): each test shows the
/// package's behaviour directly, then ours (<see cref="KubernetesFactory"/>) on the same test API server over HTTPS.
/// Should a new version of the package fix a gap, its first assertion fails and our workaround can go.
/// </summary>
public sealed class PackageTlsGapTests : IDisposable
{
    private static readonly KubeRetryPolicy NoRetries = new() { MaxAttempts = 1 };
    private readonly TestCertificates _certs = TestCertificates.Create();

    [Fact]
    public async Task ClusterCaCertificateForAnotherName_PackageAcceptsIt_OursRefusesWithNameMismatch()
    {
        using var otherName = _certs.IssueServerFor("other.example.test");
        await using var server = await StartServerAsync(otherName);
        var caOnly = new X509Certificate2Collection(_certs.Ca);

        // The package's callback rebuilds the chain with the CA when the chain is untrusted and then ignores the
        // name: a certificate of the cluster CA for any name is accepted for 127.0.0.1.
        using var package = new Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.AbsoluteUri, SslCaCerts = caOnly, AccessToken = "t" });
        var read = await package.CoreV1.ReadNamespaceAsync("default");
        Assert.Equal("default", read.Metadata.Name);

        var settings = new KubeClientSettings { Host = server.BaseAddress, SslCaCerts = caOnly, AccessToken = "t" };
        using var ours = KubernetesFactory.Create(settings, retryPolicy: NoRetries);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ours.CoreV1.ReadNamespaceAsync("default"));
        Assert.Equal(HttpRequestError.SecureConnectionError, refused.HttpRequestError);
        Assert.IsType<AuthenticationException>(refused.InnerException);
        Assert.Contains(nameof(SslPolicyErrors.RemoteCertificateNameMismatch), refused.InnerException!.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests.Snapshot());
    }

    [Fact]
    public async Task TlsServerName_PackageRewritesTheHostHeader_OursSendsItAsSniAndKeepsTheServersHost()
    {
        await using var server = await StartServerAsync(_certs.Server);
        var caOnly = new X509Certificate2Collection(_certs.Ca);

        using var package = new Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.AbsoluteUri, SslCaCerts = caOnly, TlsServerName = "localhost", AccessToken = "t" });
        await package.CoreV1.ReadNamespaceAsync("default");
        using var ours = KubernetesFactory.Create(
            new KubeClientSettings { Host = server.BaseAddress, SslCaCerts = caOnly, TlsServerName = "localhost", AccessToken = "t" }, retryPolicy: NoRetries);
        await ours.CoreV1.ReadNamespaceAsync("default");

        // Both send the name in the TLS handshake (SNI); only the package also puts it in the Host header.
        Assert.Equal(["localhost", server.BaseAddress.Authority], server.Requests.Snapshot().Select(r => r.Host));
        Assert.Equal(["localhost", "localhost"], server.TlsServerNames);
    }

    public void Dispose() => _certs.Dispose();

    /// <summary>The test API server over HTTPS with <paramref name="servingCertificate"/>, of the test CA; token <c>t</c>.</summary>
    private async Task<TestApiServer> StartServerAsync(X509Certificate2 servingCertificate)
    {
        var server = new TestApiServer(new TestApiServerOptions
        {
            Tls = new TestApiServerTls { CertificateAuthority = _certs.Authority, ServingCertificate = servingCertificate },
            BearerToken = "t",
        });
        await server.StartAsync();
        return server;
    }
}
