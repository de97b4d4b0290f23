using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace DesktopOperator.Gateway.Tls;

/// <summary>
/// The plain-HTTP side when HTTPS is on: every request but <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c>
/// (Prometheus and kubelet probes stay on plain HTTP) gets a 308 to the same host name, path and query on the port
/// clients reach HTTPS on, <see cref="HttpsSettings.RedirectPort"/> (308 keeps the method and body, so a POST stays a
/// POST). HTTPS responses get HSTS when asked.
/// </summary>
internal static class HttpsRedirect
{
    private static readonly string[] PlainPaths = ["/metrics", "/healthz", "/readyz"];

    public static IApplicationBuilder UseHttpsRedirect(this IApplicationBuilder app, HttpsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return app.Use((context, next) =>
        {
            var request = context.Request;
            if (request.IsHttps)
            {
                if (settings.Hsts)
                {
                    context.Response.Headers.StrictTransportSecurity = HttpsSettings.HstsValue;
                }

                return next(context);
            }

            if (!settings.RedirectHttp || IsPlain(request.Path))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status308PermanentRedirect;
            context.Response.Headers.Location = Location(context, settings.RedirectPort);
            return Task.CompletedTask;
        });
    }

    /// <summary>The HTTPS address of <paramref name="context"/>'s request: its host name (no port) on <paramref name="port"/>.</summary>
    public static string Location(HttpContext context, int port)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var name = request.Host.HasValue ? request.Host.Host : context.Connection.LocalIpAddress?.ToString() ?? "localhost";
        if (name.Contains(':', StringComparison.Ordinal) && !name.StartsWith('['))
        {
            name = $"[{name}]";
        }

        var host = port == 443 ? new HostString(name) : new HostString(name, port);
        return UriHelper.BuildAbsolute("https", host, request.PathBase, request.Path, request.QueryString);
    }

    private static bool IsPlain(PathString path)
    {
        foreach (var plain in PlainPaths)
        {
            if (path.Equals(plain, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
