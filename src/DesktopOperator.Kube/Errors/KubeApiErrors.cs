using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Client;

/// <summary>
/// Turns a failed answer into the typed <see cref="KubeApiException"/> subclass. Like client-go's
/// <c>errors.FromObject</c> / <c>NewGenericServerResponse</c>: a JSON Status body is used as is; any other body
/// (the mux's text/plain <c>404 page not found</c>, a proxy's HTML) becomes a synthetic Failure Status whose reason
/// is derived from the HTTP code, so callers can always switch on <see cref="KubeApiException.Reason"/>.
/// </summary>
internal static class KubeApiErrors
{
    private const int MaxBodyBytes = 64 * 1024;

    public static async Task<KubeApiException> FromResponseAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        var bytes = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        var status = TryParseStatus(bytes);
        var retryAfter = RetryAfterFromHeaders(response.Headers.RetryAfter, time);
        if (status is null)
        {
            var text = Encoding.UTF8.GetString(bytes).Trim();
            status = Synthesize(code, text.Length > 0 ? text : null);
        }

        return Create(code, status, retryAfter);
    }

    /// <summary>The exception for a Status, whether from an HTTP answer or a watch <c>ERROR</c> event.</summary>
    public static KubeApiException Create(int statusCode, V1Status status, TimeSpan? retryAfter = null)
    {
        // A watch ERROR comes with HTTP 200: the code inside the Status is what counts.
        var code = statusCode is >= 200 and < 300 && status.Code is { } inner ? inner : statusCode;
        var message = status.Message ?? $"the API server answered {code} {status.Reason}".TrimEnd();
        retryAfter ??= status.Details?.RetryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
        return (code, status.Reason) switch
        {
            (_, "Expired" or "Gone") or (410, _) => new KubeGoneException(code, status, message),
            (409, "AlreadyExists") or (_, "AlreadyExists") => new KubeAlreadyExistsException(code, status, message),
            (409, _) or (_, "Conflict") => new KubeConflictException(code, status, message),
            (404, _) or (_, "NotFound") => new KubeNotFoundException(code, status, message),
            (422, _) or (_, "Invalid") => new KubeInvalidException(code, status, message),
            (429, _) or (_, "TooManyRequests") => new KubeTooManyRequestsException(code, status, retryAfter, message),
            (401, _) or (_, "Unauthorized") => new KubeUnauthorizedException(code, status, message),
            (403, _) or (_, "Forbidden") => new KubeForbiddenException(code, status, message),
            (400, _) or (_, "BadRequest") => new KubeBadRequestException(code, status, message),
            ( >= 500, _) => new KubeServerErrorException(code, status, message),
            _ => new KubeApiException(code, status, message),
        };
    }

    public static V1Status Synthesize(int code, string? message) => new()
    {
        ApiVersion = "v1",
        Kind = "Status",
        Status = "Failure",
        Code = code,
        Reason = ReasonForCode(code),
        Message = message ?? $"the API server answered {code}",
    };

    /// <summary>The reasons client-go's <c>NewGenericServerResponse</c> assigns to bare HTTP codes.</summary>
    public static string ReasonForCode(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Gone",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    };

    public static TimeSpan? RetryAfterFromHeaders(RetryConditionHeaderValue? header, TimeProvider time)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static V1Status? TryParseStatus(byte[] bytes)
    {
        if (bytes.Length == 0 || bytes[0] != (byte)'{')
        {
            return null;
        }

        try
        {
            var status = JsonSerializer.Deserialize<V1Status>(bytes, KubeJson.Options);
            return status is { Kind: "Status" } ? status : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return buffer.AsSpan(0, total).ToArray();
        }
    }
}
