using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DesktopOperator.Testing.Tls;

/// <summary>
/// A throwaway certificate authority made in the test (ECDSA P-256, valid a day): issues server certificates for
/// loopback names and writes them as PEM files, the way cert-manager or openssl would hand them to the gateway.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificateAuthority(string name = "desktop-operator test CA")
        : this(name, issuer: null)
    {
    }

    private TestCertificateAuthority(string name, TestCertificateAuthority? issuer)
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        if (issuer is null)
        {
            Certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));
            return;
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Certificate, true, false));
        using var signed = request.Create(issuer.Certificate, now.AddHours(-1), now.AddDays(1), RandomSerial());
        Certificate = signed.CopyWithPrivateKey(_key);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate as PEM (what <c>curl --cacert</c> takes).</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>An intermediate CA signed by this one (a chain: root, intermediate, server).</summary>
    public TestCertificateAuthority CreateIntermediate(string name) => new(name, this);

    /// <summary>
    /// A server certificate for <paramref name="commonName"/> with 127.0.0.1, ::1 and localhost as its names, and
    /// its key (RSA 2048 when <paramref name="rsa"/>, else ECDSA P-256), signed by this CA.
    /// </summary>
    public X509Certificate2 Issue(string commonName, bool rsa = false, DateTimeOffset? notAfter = null)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA r
            ? new CertificateRequest($"CN={commonName}", r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={commonName}", (ECDsa)key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        // Signed by the CA's ECDSA key whatever the server's key is (a plain Create needs both of one algorithm).
        using var issued = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now.AddHours(-1), notAfter ?? now.AddHours(12), RandomSerial());
        return key is RSA rsaKey ? issued.CopyWithPrivateKey(rsaKey) : issued.CopyWithPrivateKey((ECDsa)key);
    }

    /// <summary>Writes the certificate (then <paramref name="chain"/>) and its key as PEM files in the given format.</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath, KeyFormat format = KeyFormat.Pkcs8, params X509Certificate2[] chain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        File.WriteAllText(certificatePath, string.Concat([certificate.ExportCertificatePem(), "\n", .. chain.Select(c => c.ExportCertificatePem() + "\n")]));
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("the certificate has no private key");
        using (key)
        {
            var pem = (format, key) switch
            {
                (KeyFormat.Pkcs8, _) => key.ExportPkcs8PrivateKeyPem(),
                (KeyFormat.Traditional, RSA rsa) => rsa.ExportRSAPrivateKeyPem(),
                (KeyFormat.Traditional, ECDsa ec) => ec.ExportECPrivateKeyPem(),
                (KeyFormat.Encrypted, _) => key.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)),
                _ => throw new ArgumentOutOfRangeException(nameof(format)),
            };
            File.WriteAllText(keyPath, pem + "\n");
        }
    }

    private static byte[] RandomSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        return serial;
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
