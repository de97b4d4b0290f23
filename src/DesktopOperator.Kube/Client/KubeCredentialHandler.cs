using DesktopOperator.Kube.Auth;

namespace DesktopOperator.Kube.Client;

/// <summary>
/// Puts the configuration's credentials on every request of a raw <see cref="HttpClient"/> (see
/// <see cref="Config.KubeClientSettings.CreateHttpMessageHandler"/>). No retries and no 401 refresh:
/// that is <see cref="KubePipelineHandler"/>'s job (in the package's pipeline, which our verbs share); this is
/// for callers that speak HTTP to the API server directly.
/// </summary>
internal sealed class KubeCredentialHandler(ICredentialProvider credentials, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await credentials.ApplyAsync(request, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
