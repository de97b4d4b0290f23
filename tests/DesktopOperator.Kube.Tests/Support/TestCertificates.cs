using System.Security.Cryptography.X509Certificates;
using DesktopOperator.Testing.Tls;

namespace DesktopOperator.Kube.Tests.Support;

/// <summary>
/// The certificates most Kube tests need, from one <see cref="TestCertificateAuthority"/> (where every test
/// certificate is made): a server certificate for 127.0.0.1 and localhost, and client certificates (EC and RSA).
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly TestCertificateAuthority _authority;

    private TestCertificates(TestCertificateAuthority authority)
    {
        _authority = authority;
        Server = authority.Issue("127.0.0.1");
        EcClient = authority.IssueClient("ec-user");
        RsaClient = authority.IssueClient("rsa-user", rsa: true);
    }

    /// <summary>The CA itself, e.g. the cluster CA of a TLS <see cref="Testing.ApiServer.TestApiServer"/>.</summary>
    public TestCertificateAuthority Authority => _authority;

    public X509Certificate2 Ca => _authority.Certificate;

    public X509Certificate2 Server { get; }

    /// <summary>CN=ec-user; <see cref="KeyPem"/> gives its key in SEC1 form (<c>EC PRIVATE KEY</c>).</summary>
    public X509Certificate2 EcClient { get; }

    /// <summary>CN=rsa-user; <see cref="KeyPem"/> gives its key in PKCS#1 form (<c>RSA PRIVATE KEY</c>).</summary>
    public X509Certificate2 RsaClient { get; }

    public string CaPem => _authority.CertificatePem;

    public static TestCertificates Create(string caName = "test-ca") => new(new TestCertificateAuthority(caName));

    /// <summary>A server certificate issued by this CA for <paramref name="dnsName"/> only (not for 127.0.0.1).</summary>
    public X509Certificate2 IssueServerFor(string dnsName) => _authority.IssueServerFor(dnsName);

    /// <summary>The key in its traditional PEM form, as kubeadm and openssl write client keys.</summary>
    public static string KeyPem(X509Certificate2 certificate) => TestCertificateAuthority.KeyPem(certificate, KeyFormat.Traditional);

    public void Dispose()
    {
        Server.Dispose();
        EcClient.Dispose();
        RsaClient.Dispose();
        _authority.Dispose();
    }
}
