using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DesktopOperator.Gateway.Tls;

/// <summary>
/// Reads a server certificate from PEM files: the certificate file holds the server's certificate first, then any
/// intermediates of its chain; the key file holds its private key (PKCS#8 <c>PRIVATE KEY</c>, <c>RSA PRIVATE KEY</c>
/// or <c>EC PRIVATE KEY</c>, unencrypted). Every refusal is an <see cref="InvalidDataException"/> whose message names
/// the file and why, fit for one line on stderr.
/// </summary>
internal static class TlsCertificateFiles
{
    public static SslStreamCertificateContext Load(string certificatePath, string keyPath, DateTimeOffset now)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(Read(certificatePath));
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"{certificatePath}: not a readable PEM certificate ({e.Message})", e);
        }

        if (certificates.Count == 0)
        {
            throw new InvalidDataException($"{certificatePath}: holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)");
        }

        var leaf = certificates[0];
        if (leaf.NotAfter.ToUniversalTime() < now.UtcDateTime)
        {
            throw new InvalidDataException($"{certificatePath}: the certificate ({leaf.Subject}) expired on {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC");
        }

        var withKey = AttachKey(leaf, keyPath, Read(keyPath));
        var chain = new X509Certificate2Collection();
        for (var i = 1; i < certificates.Count; i++)
        {
            chain.Add(certificates[i]);
        }

        // offline: the chain is built from the file's intermediates, never fetched over the network.
        return SslStreamCertificateContext.Create(withKey, chain, offline: true);
    }

    private static X509Certificate2 AttachKey(X509Certificate2 leaf, string keyPath, string keyText)
    {
        if (!keyText.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{keyPath}: holds no private key (expected PEM: -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }

        if (keyText.Contains("ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{keyPath}: the private key is encrypted; give it unencrypted (e.g. openssl pkey -in {Path.GetFileName(keyPath)} -out key.pem)");
        }

        try
        {
            if (leaf.GetRSAPublicKey() is { } rsaPublic)
            {
                rsaPublic.Dispose();
                using var rsa = RSA.Create();
                rsa.ImportFromPem(keyText);
                return leaf.CopyWithPrivateKey(rsa);
            }

            if (leaf.GetECDsaPublicKey() is { } ecPublic)
            {
                ecPublic.Dispose();
                using var ec = ECDsa.Create();
                ec.ImportFromPem(keyText);
                return leaf.CopyWithPrivateKey(ec);
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // CopyWithPrivateKey: "The provided key does not match the public key for this certificate."; ImportFromPem:
            // a key of another algorithm than the certificate's, or a damaged key.
            throw new InvalidDataException($"{keyPath}: not the private key of the certificate in the certificate file ({e.Message})", e);
        }

        throw new InvalidDataException($"{keyPath}: the certificate's key is neither RSA nor ECDSA; only those are supported");
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot be read ({e.Message})", e);
        }
    }
}
