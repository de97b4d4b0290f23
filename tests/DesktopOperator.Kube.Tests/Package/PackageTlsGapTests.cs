using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using k8s;

namespace DesktopOperator.Kube.Tests.Package;

/// <summary>
/// Where KubernetesClient 21.0.8's own TLS setup falls short (README, "Dependencies and why"): each test shows the
/// package's behaviour directly, then ours (<see cref="KubernetesFactory"/>) on the same server. Should a new
/// version of the package fix a gap, its first assertion fails and our workaround can go.
/// </summary>
public sealed class PackageTlsGapTests : IDisposable
{
    private const string NamespaceJson = """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}""";
    private static readonly KubeRetryPolicy NoRetries = new() { MaxAttempts = 1 };
    private readonly TestCertificates _certs = TestCertificates.Create();

    [Fact]
    public async Task ClusterCaCertificateForAnotherName_PackageAcceptsIt_OursRefusesWithNameMismatch()
    {
        using var otherName = _certs.IssueServerFor("other.example.test");
        await using var server = await FakeApiServer.StartAsync((c, _) => FakeApiServer.Json(c, 200, NamespaceJson), otherName, false);
        var caOnly = new X509Certificate2Collection(_certs.Ca);

        // The package's callback rebuilds the chain with the CA when the chain is untrusted and then ignores the
        // name: a certificate of the cluster CA for any name is accepted for 127.0.0.1.
        using var package = new Kubernetes(new KubernetesClientConfiguration { Host = server.Address.AbsoluteUri, SslCaCerts = caOnly, AccessToken = "t" });
        var read = await package.CoreV1.ReadNamespaceAsync("default");
        Assert.Equal("default", read.Metadata.Name);

        var settings = new KubeClientSettings { Host = server.Address, SslCaCerts = caOnly, AccessToken = "t" };
        using var ours = KubernetesFactory.Create(settings, retryPolicy: NoRetries);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ours.CoreV1.ReadNamespaceAsync("default"));
        Assert.Equal(HttpRequestError.SecureConnectionError, refused.HttpRequestError);
        Assert.IsType<AuthenticationException>(refused.InnerException);
        Assert.Contains(nameof(SslPolicyErrors.RemoteCertificateNameMismatch), refused.InnerException!.Message, StringComparison.Ordinal);
        Assert.Single(server.All);
    }

    [Fact]
    public async Task TlsServerName_PackageRewritesTheHostHeader_OursSendsItAsSniAndKeepsTheServersHost()
    {
        var hosts = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var server = await FakeApiServer.StartAsync(
            (c, _) =>
            {
                hosts.Enqueue(c.Request.Host.Value ?? "");
                return FakeApiServer.Json(c, 200, NamespaceJson);
            },
            _certs.Server,
            false);
        var caOnly = new X509Certificate2Collection(_certs.Ca);

        using var package = new Kubernetes(new KubernetesClientConfiguration { Host = server.Address.AbsoluteUri, SslCaCerts = caOnly, TlsServerName = "localhost", AccessToken = "t" });
        await package.CoreV1.ReadNamespaceAsync("default");
        using var ours = KubernetesFactory.Create(
            new KubeClientSettings { Host = server.Address, SslCaCerts = caOnly, TlsServerName = "localhost", AccessToken = "t" }, retryPolicy: NoRetries);
        await ours.CoreV1.ReadNamespaceAsync("default");

        // Both send the name in the TLS handshake (SNI); only the package also puts it in the Host header.
        Assert.Equal(["localhost", server.Address.Authority], hosts);
        Assert.Equal(["localhost", "localhost"], server.ServerNames);
    }

    public void Dispose() => _certs.Dispose();
}
