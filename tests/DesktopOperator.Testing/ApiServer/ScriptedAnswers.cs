using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>How a request is recorded, and how a <see cref="ScriptedResponse"/> answers it.</summary>
internal static class ScriptedAnswers
{
    /// <summary>The request as it came: method, path, query, raw target and headers (the body is added once read).</summary>
    public static RecordedRequest Record(HttpContext http)
    {
        var request = http.Request;
        string? Header(string value) => value.Length > 0 ? value : null;
        return new RecordedRequest(request.Method, request.Path.Value ?? "/", request.QueryString.Value ?? string.Empty, Header(request.Headers.Authorization.ToString()))
        {
            ConnectionId = http.Connection.Id,
            Host = request.Host.HasValue ? request.Host.Value : null,
            // Kestrel's Path is unescaped; the raw target shows how a client escaped names and selectors.
            RawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget,
            ContentType = request.ContentType,
            UserAgent = Header(request.Headers.UserAgent.ToString()),
            Accept = Header(request.Headers.Accept.ToString()),
        };
    }

    public static async Task WriteAsync(HttpContext http, ScriptedResponse response, CancellationToken ct)
    {
        if (response.Write is { } write)
        {
            await write(http).ConfigureAwait(false);
            return;
        }

        switch (response.Behavior)
        {
            case ScriptedBehavior.ResetConnection:
                http.Abort();
                return;
            case ScriptedBehavior.NeverAnswer:
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // The client gave up (or the server is stopping): nothing to answer.
                }

                return;
        }

        http.Response.StatusCode = response.StatusCode;
        if (response.ContentType is not null)
        {
            http.Response.ContentType = response.ContentType;
        }

        foreach (var (name, value) in response.Headers)
        {
            http.Response.Headers[name] = value;
        }

        await http.Response.WriteAsync(response.Body, Encoding.UTF8, ct).ConfigureAwait(false);
    }
}
