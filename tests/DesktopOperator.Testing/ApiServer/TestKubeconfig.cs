using System.Security.Cryptography.X509Certificates;
using System.Text;
using DesktopOperator.Testing.Tls;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// Kubeconfig text for a <see cref="TestApiServer"/> as <c>kubeadm kubeconfig user</c> would write it: the server,
/// its CA inline (<c>certificate-authority-data</c>, HTTPS only), and a user with a bearer token or an inline client
/// certificate and key (<c>client-certificate-data</c>, <c>client-key-data</c>), or none.
/// </summary>
public static class TestKubeconfig
{
    public static string Text(Uri server, string? certificateAuthorityPem, string? token, X509Certificate2? clientCertificate, string @namespace = "default")
    {
        ArgumentNullException.ThrowIfNull(server);
        var cluster = $"\n    server: {server.ToString().TrimEnd('/')}";
        if (certificateAuthorityPem is not null)
        {
            cluster += $"\n    certificate-authority-data: {Base64(certificateAuthorityPem)}";
        }

        var user = string.Empty;
        if (token is not null)
        {
            // A token is a YAML double-quoted scalar: escape what that syntax needs.
            user += $"\n    token: \"{token.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        }

        if (clientCertificate is not null)
        {
            user += $"\n    client-certificate-data: {Base64(clientCertificate.ExportCertificatePem())}";
            user += $"\n    client-key-data: {Base64(TestCertificateAuthority.KeyPem(clientCertificate))}";
        }

        return $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test-api-server
              cluster:{cluster}
            users:
            - name: test-api-server
              user:{(user.Length == 0 ? " {}" : user)}
            contexts:
            - name: test-api-server
              context:
                cluster: test-api-server
                user: test-api-server
                namespace: {@namespace}
            current-context: test-api-server

            """;
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));
}
