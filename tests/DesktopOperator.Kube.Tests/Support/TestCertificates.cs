using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DesktopOperator.Kube.Tests.Support;

/// <summary>A throwaway CA with a server certificate for 127.0.0.1 and client certificates (EC and RSA).</summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 ecClient, X509Certificate2 rsaClient)
    {
        Ca = ca;
        Server = server;
        EcClient = ecClient;
        RsaClient = rsaClient;
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    /// <summary>CN=ec-user, key in SEC1 form (<c>EC PRIVATE KEY</c>).</summary>
    public X509Certificate2 EcClient { get; }

    /// <summary>CN=rsa-user, key in PKCS#1 form (<c>RSA PRIVATE KEY</c>).</summary>
    public X509Certificate2 RsaClient { get; }

    public string CaPem => Ca.ExportCertificatePem();

    public static TestCertificates Create(string caName = "test-ca")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var caSelfSigned = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var ca = X509CertificateLoader.LoadPkcs12(caSelfSigned.Export(X509ContentType.Pfx), null);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = Leaf("CN=127.0.0.1", serverKey, "1.3.6.1.5.5.7.3.1");
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(san.Build());
        var server = Issue(serverRequest, ca, serverKey, now, 1);

        using var ecKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecClient = Issue(Leaf("CN=ec-user", ecKey, "1.3.6.1.5.5.7.3.2"), ca, ecKey, now, 2);
        using var rsaKey = RSA.Create(2048);
        var rsaClient = Issue(Leaf("CN=rsa-user", rsaKey, "1.3.6.1.5.5.7.3.2"), ca, rsaKey, now, 3);
        return new TestCertificates(ca, server, ecClient, rsaClient);
    }

    /// <summary>A server certificate issued by this CA for <paramref name="dnsName"/> only (not for 127.0.0.1).</summary>
    public X509Certificate2 IssueServerFor(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Leaf("CN=" + dnsName, key, "1.3.6.1.5.5.7.3.1");
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        return Issue(request, Ca, key, DateTimeOffset.UtcNow, 9);
    }

    public static string KeyPem(X509Certificate2 certificate) =>
        certificate.GetECDsaPrivateKey() is { } ec ? ec.ExportECPrivateKeyPem() : certificate.GetRSAPrivateKey()!.ExportRSAPrivateKeyPem();

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        EcClient.Dispose();
        RsaClient.Dispose();
    }

    private static CertificateRequest Leaf(string subject, AsymmetricAlgorithm key, string usage)
    {
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        return request;
    }

    private static X509Certificate2 Issue(CertificateRequest request, X509Certificate2 ca, AsymmetricAlgorithm key, DateTimeOffset now, byte serial)
    {
        using var caKey = ca.GetECDsaPrivateKey()!;
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), now.AddDays(10), [serial, 0x42]);
        using var withKey = key is RSA rsa ? issued.CopyWithPrivateKey(rsa) : issued.CopyWithPrivateKey((ECDsa)key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }
}
