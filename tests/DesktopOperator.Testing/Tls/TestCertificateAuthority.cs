using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DesktopOperator.Testing.Tls;

/// <summary>
/// A throwaway certificate authority made in the test (ECDSA P-256, valid a day): issues server certificates for
/// loopback names and client certificates for users, and writes them as PEM files, the way cert-manager, openssl or
/// kubeadm would hand them out. The one place tests make certificates.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

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
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        return Sign($"CN={commonName}", ServerAuth, names, rsa, notAfter);
    }

    /// <summary>A server certificate whose only name is <paramref name="dnsName"/> (so not valid for 127.0.0.1).</summary>
    public X509Certificate2 IssueServerFor(string dnsName)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        return Sign($"CN={dnsName}", ServerAuth, names, rsa: false, notAfter: null);
    }

    /// <summary>
    /// A client certificate as a Kubernetes CA signs one for a user: CN = <paramref name="user"/>, one O per group
    /// (kube-apiserver's x509 authenticator reads the user's name and groups from them), client-auth usage.
    /// </summary>
    public X509Certificate2 IssueClient(string user, IEnumerable<string>? groups = null, bool rsa = false)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var group in groups ?? [])
        {
            subject.AddOrganizationName(group);
        }

        subject.AddCommonName(user);
        return Sign(subject.Build().Name, ClientAuth, names: null, rsa, notAfter: null);
    }

    /// <summary>Writes the certificate (then <paramref name="chain"/>) and its key as PEM files in the given format.</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath, KeyFormat format = KeyFormat.Pkcs8, params X509Certificate2[] chain)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        File.WriteAllText(certificatePath, string.Concat([certificate.ExportCertificatePem(), "\n", .. chain.Select(c => c.ExportCertificatePem() + "\n")]));
        File.WriteAllText(keyPath, KeyPem(certificate, format) + "\n");
    }

    /// <summary>The certificate's private key as PEM in the given format.</summary>
    public static string KeyPem(X509Certificate2 certificate, KeyFormat format = KeyFormat.Pkcs8)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException("the certificate has no private key");
        using (key)
        {
            return (format, key) switch
            {
                (KeyFormat.Pkcs8, _) => key.ExportPkcs8PrivateKeyPem(),
                (KeyFormat.Traditional, RSA rsa) => rsa.ExportRSAPrivateKeyPem(),
                (KeyFormat.Traditional, ECDsa ec) => ec.ExportECPrivateKeyPem(),
                (KeyFormat.Encrypted, _) => key.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)),
                _ => throw new ArgumentOutOfRangeException(nameof(format)),
            };
        }
    }

    private X509Certificate2 Sign(string subject, Oid usage, SubjectAlternativeNameBuilder? names, bool rsa, DateTimeOffset? notAfter)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA r
            ? new CertificateRequest(subject, r, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);
        if (names is not null)
        {
            request.CertificateExtensions.Add(names.Build());
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        // Signed by the CA's ECDSA key whatever the leaf's key is (a plain Create needs both of one algorithm).
        using var issued = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now.AddHours(-1), notAfter ?? now.AddHours(12), RandomSerial());
        return key is RSA rsaKey ? issued.CopyWithPrivateKey(rsaKey) : issued.CopyWithPrivateKey((ECDsa)key);
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
