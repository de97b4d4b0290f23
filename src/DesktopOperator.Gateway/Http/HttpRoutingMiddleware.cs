using System.Net;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace DesktopOperator.Gateway.Http;

/// <summary>
/// The step of YARP's proxy pipeline where OUR routing engine picks the host: resolves the request's identity
/// (<see cref="HttpIdentity"/>), asks <see cref="IConnectionRouter"/> exactly as the TCP proxy does (same affinity,
/// health, capacity and routes), narrows YARP's available destinations to the chosen host, and holds a session on
/// the route while the request runs (a WebSocket: as long as it is open). A request without a valid cookie stores no
/// route: it goes where <see cref="IConnectionRouter.Preview"/> says, and its new cookie names that host, which the
/// route made when the client comes back with the cookie prefers. A connect failure is reported as passive
/// health. A request that is not routed gets a short text answer with the reason, never a YARP-chosen host.
/// </summary>
internal sealed partial class HttpRoutingMiddleware(
    RequestDelegate next,
    IConnectionRouter router,
    HttpProxyConfigProvider config,
    HttpGatewayOptions options,
    IAffinityCookieKeySource keys,
    ILogger<HttpRoutingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var feature = context.GetReverseProxyFeature();
        var metadata = feature.Route.Config.Metadata;
        if (metadata is null || !metadata.TryGetValue(HttpProxyConfigProvider.PoolMetadata, out var pool)
            || !metadata.TryGetValue(HttpProxyConfigProvider.ProtocolMetadata, out var protocol)
            || config.Find(pool, protocol) is not { } plan)
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, "no desktop is served here");
            return;
        }

        var keyring = keys.Current;
        var identity = HttpIdentity.Resolve(context, plan.UserHeader, plan.CookieName, options, keyring, options.Random);
        var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
        var request = new RouteRequest(
            pool, protocol, identity.User, client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client, PreferredHost: identity.CookieHost);

        // A minted id is stored nowhere until the client shows it keeps cookies (comes back with this one): an uptime
        // check or a script without a cookie jar would otherwise leave a route, and a held slot, per request.
        var decision = identity.Minted ? router.Preview(request) : await router.RouteAsync(request, [], context.RequestAborted);
        if (identity.Minted && decision is { Result: RoutingResult.Routed, Host: { } chosen })
        {
            identity = identity.WithHost(chosen.Name, keyring);
        }

        identity.AppendCookie(context, plan.CookieName, options.CookieLifetime);
        if (decision is not { Result: RoutingResult.Routed, Host: { } host })
        {
            await RejectAsync(context, decision);
            return;
        }

        if (FindDestination(feature, host.Name) is not { } destination)
        {
            // The plan's hosts reach YARP a moment after the routing engine's: rare, and a retry finds it.
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, $"host '{host.Name}' is not configured yet; try again");
            return;
        }

        feature.AvailableDestinations = destination;
        using (identity.Minted ? null : router.BeginSession(request, decision))
        {
            await next(context);
        }

        ReportHealth(context, pool, host.Name);
    }

    private static DestinationState? FindDestination(IReverseProxyFeature feature, string host)
    {
        var all = feature.AllDestinations;
        for (var i = 0; i < all.Count; i++)
        {
            if (string.Equals(all[i].DestinationId, host, StringComparison.Ordinal))
            {
                return all[i];
            }
        }

        return null;
    }

    private void ReportHealth(HttpContext context, string pool, string host)
    {
        var error = context.Features.Get<IForwarderErrorFeature>()?.Error ?? ForwarderError.None;
        if (error is ForwarderError.Request or ForwarderError.RequestTimedOut && !context.Response.HasStarted)
        {
            LogUpstreamFailed(pool, host, error);
            router.ReportConnectFailure(pool, host);
        }
        else if (error == ForwarderError.None)
        {
            router.ReportConnectSuccess(pool, host);
        }
    }

    private static Task RejectAsync(HttpContext context, RoutingDecision decision)
    {
        if (decision.Result is RoutingResult.Queued or RoutingResult.RejectedFull or RoutingResult.RejectedNoHealthyHost)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        var status = decision.Result switch
        {
            RoutingResult.RejectedNotAllowed => StatusCodes.Status403Forbidden,
            RoutingResult.RejectedUnknownPool => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status503ServiceUnavailable,
        };
        return WriteAsync(context, status, decision.Reason);
    }

    private static Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
