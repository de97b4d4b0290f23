using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DesktopOperator.Kube.Config;

/// <summary>PEM certificates and keys (RSA, EC; PKCS#1, SEC1 or PKCS#8) from kubeconfig data or files.</summary>
internal static class PemLoader
{
    public static X509Certificate2Collection LoadCertificates(string pem, string? file, string? field)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            throw new KubeConfigException(file, field, $"not a valid PEM certificate: {ex.Message}", ex);
        }

        if (collection.Count == 0)
        {
            throw new KubeConfigException(file, field, "holds no PEM certificate (expected '-----BEGIN CERTIFICATE-----')");
        }

        return collection;
    }

    public static X509Certificate2 LoadClientCertificate(string certPem, string keyPem, string? file, string certField, string keyField)
    {
        _ = LoadCertificates(certPem, file, certField);
        if (!keyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            throw new KubeConfigException(file, keyField, "holds no PEM private key (expected '-----BEGIN ... PRIVATE KEY-----')");
        }

        try
        {
            return X509Certificate2.CreateFromPem(certPem, keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new KubeConfigException(file, keyField, $"the key cannot be used with {certField}: {ex.Message}", ex);
        }
    }

    /// <summary>Decodes a <c>*-data</c> field: base64 of PEM text.</summary>
    public static string DecodeBase64Pem(string value, string? file, string field)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value.Trim()));
        }
        catch (FormatException ex)
        {
            throw new KubeConfigException(file, field, "is not valid base64", ex);
        }
    }
}
