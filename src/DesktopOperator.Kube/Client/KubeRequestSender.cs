using System.Net;
using DesktopOperator.Kube.Auth;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Kube.Client;

/// <summary>How a request may be retried (see <see cref="KubeRetryPolicy"/>).</summary>
internal enum RequestKind
{
    /// <summary>GET/LIST: retried on 5xx, timeouts and connection errors.</summary>
    Read,

    /// <summary>Opening a watch: like a read, but no client-side timeout once the headers arrived.</summary>
    Watch,

    /// <summary>POST/PUT/PATCH/DELETE: retried only on 429 and when the connection could not be made.</summary>
    Write,
}

/// <summary>
/// Sends one logical request inside the package's HTTP pipeline (see <see cref="KubePipelineHandler"/>): applies
/// credentials, retries where safe with backoff and jitter, and refreshes credentials once on 401. The same message
/// is sent again on a retry (its content must be buffered). Thread-safe. Returns the final answer whatever its status:
/// the caller turns a failure into its exception (ours: <see cref="KubeApiErrors"/>; the package's typed verbs:
/// <c>HttpOperationException</c>).
/// </summary>
internal sealed partial class KubeRequestSender(
    HttpMessageInvoker http,
    ICredentialProvider credentials,
    KubeRetryPolicy policy,
    TimeSpan requestTimeout,
    TimeProvider time,
    Func<TimeSpan, CancellationToken, Task> delay,
    Func<double> random,
    ILogger logger)
{
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, RequestKind kind, CancellationToken cancellationToken)
    {
        var refreshedCredentials = false;
        for (var attempt = 1; ; attempt++)
        {
            var canRetry = attempt < policy.MaxAttempts;
            await credentials.ApplyAsync(request, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(requestTimeout);
            try
            {
                response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (canRetry && IsRetryable(ex.HttpRequestError, kind))
            {
                await BackoffAsync(request, attempt, null, $"{ex.HttpRequestError}: {ex.Message}", cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (canRetry && kind != RequestKind.Write)
                {
                    await BackoffAsync(request, attempt, null, "timed out", cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw new TimeoutException($"{request.Method} {request.RequestUri} got no answer within {requestTimeout}.", ex);
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized && !refreshedCredentials && credentials.Invalidate())
            {
                response.Dispose();
                refreshedCredentials = true;
                attempt--;
                LogCredentialsRefreshed(logger, request.Method, request.RequestUri);
                continue;
            }

            // The caller reads the body of the final answer, so a retry is decided from the headers alone (the API
            // server sends Retry-After with every 429).
            var code = (int)response.StatusCode;
            var retryable = code == 429 || (kind != RequestKind.Write && code >= 500);
            var headerWait = KubeApiErrors.RetryAfterFromHeaders(response.Headers.RetryAfter, time);
            if (!canRetry || !retryable || headerWait > policy.MaxRetryAfter)
            {
                return response;
            }

            var why = $"{code} {response.ReasonPhrase}";
            response.Dispose();
            await BackoffAsync(request, attempt, headerWait, why, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Connection and name-resolution failures happen before anything was sent, so any verb may retry; other
    /// transport failures (connection dropped mid-answer) only for reads. A TLS failure will not heal by itself.
    /// </summary>
    private static bool IsRetryable(HttpRequestError error, RequestKind kind) => error switch
    {
        HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError => true,
        HttpRequestError.SecureConnectionError => false,
        _ => kind != RequestKind.Write,
    };

    private Task BackoffAsync(HttpRequestMessage request, int attempt, TimeSpan? retryAfter, string why, CancellationToken cancellationToken)
    {
        var wait = retryAfter ?? policy.Backoff(attempt, random());
        LogRetrying(logger, request.Method, request.RequestUri, why, attempt, wait);
        return delay(wait, cancellationToken);
    }
}
