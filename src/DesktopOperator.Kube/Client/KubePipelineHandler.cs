using DesktopOperator.Kube.Auth;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Kube.Client;

/// <summary>
/// Our credentials, retries and 401 refresh (<see cref="KubeRequestSender"/>) inside the HTTP pipeline of
/// KubernetesClient's <c>Kubernetes</c>: the one path to the API server for its typed verbs (CoreV1,
/// CoordinationV1, CustomObjects, ...) and for our generic <see cref="KubernetesClient"/>, which sends through the
/// same <c>Kubernetes.HttpClient</c>. A failed final answer is passed on as it is: the package turns it into its
/// <c>HttpOperationException</c>, <see cref="KubernetesClient"/> into a <see cref="KubeApiException"/>.
/// </summary>
internal sealed class KubePipelineHandler(
    ICredentialProvider credentials,
    KubeRetryPolicy policy,
    TimeSpan requestTimeout,
    TimeProvider time,
    Func<TimeSpan, CancellationToken, Task> delay,
    Func<double> random,
    ILogger logger) : DelegatingHandler
{
    private KubeRequestSender? _sender;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } content)
        {
            // A retry sends the same message again, so its body must be readable twice.
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var sender = _sender ??= new KubeRequestSender(
            new HttpMessageInvoker(InnerHandler ?? throw new InvalidOperationException("the pipeline has no inner handler"), disposeHandler: false),
            credentials,
            policy,
            requestTimeout,
            time,
            delay,
            random,
            logger);
        return await sender.SendAsync(request, KindOf(request), cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            (credentials as IDisposable)?.Dispose();
        }

        base.Dispose(disposing);
    }

    internal static RequestKind KindOf(HttpRequestMessage request)
    {
        if (request.Method != HttpMethod.Get)
        {
            return RequestKind.Write;
        }

        var query = request.RequestUri?.Query ?? "";
        return query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) || query.Contains("watch=1", StringComparison.Ordinal)
            ? RequestKind.Watch
            : RequestKind.Read;
    }
}
