using System.Text;
using System.Text.Json;
using DesktopOperator.Kube.Config;

namespace DesktopOperator.Kube.Auth;

/// <summary>
/// The <c>KUBERNETES_EXEC_INFO</c> a credential plugin receives, shaped as client-go writes it: an
/// <c>ExecCredential</c> with <c>spec.interactive</c> (always false: no terminal is attached) and, when the kubeconfig
/// asks for it (<c>provideClusterInfo</c>), <c>spec.cluster</c>.
/// </summary>
internal static class ExecInfo
{
    public static string Build(ExecCredentialSettings settings)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("apiVersion", settings.ApiVersion);
            json.WriteString("kind", "ExecCredential");
            json.WriteStartObject("spec");
            if (settings is { ProvideClusterInfo: true, Cluster: { } cluster })
            {
                json.WriteStartObject("cluster");
                json.WriteString("server", cluster.Server.OriginalString);
                if (cluster.TlsServerName is { Length: > 0 } serverName)
                {
                    json.WriteString("tls-server-name", serverName);
                }

                if (cluster.InsecureSkipTlsVerify)
                {
                    json.WriteBoolean("insecure-skip-tls-verify", true);
                }

                if (cluster.CertificateAuthorityPem is { Length: > 0 } pem)
                {
                    // client-go's field is []byte, which JSON carries as base64.
                    json.WriteString("certificate-authority-data", Convert.ToBase64String(Encoding.UTF8.GetBytes(pem)));
                }

                json.WriteEndObject();
            }

            json.WriteBoolean("interactive", false);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
