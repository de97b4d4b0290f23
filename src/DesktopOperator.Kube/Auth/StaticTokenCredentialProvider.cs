using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace DesktopOperator.Kube.Auth;

/// <summary>A fixed bearer token, or none at all (client certificates travel in the TLS handshake).</summary>
internal sealed class StaticTokenCredentialProvider(string? token) : ICredentialProvider
{
    public X509Certificate2? ClientCertificate => null;

    public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return ValueTask.CompletedTask;
    }

    public bool Invalidate() => false;
}
