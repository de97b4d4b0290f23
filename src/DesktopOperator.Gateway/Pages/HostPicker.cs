using System.Net;
using DesktopOperator.Api.Routes;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using Microsoft.AspNetCore.Http;

namespace DesktopOperator.Gateway.Pages;

/// <summary>
/// The host picker's JSON API: the hosts of an Http pool with their load and whether a new session may go there,
/// and a pick that pins the caller's route to a host (through <see cref="IConnectionRouter"/>, so the routing
/// engine's rules apply). Only an authenticated user (trusted header) may pin, for themselves; an anonymous browser
/// (affinity cookie) only with <see cref="HttpGatewayOptions.AllowAnonymousPinning"/>.
/// </summary>
internal static class HostPicker
{
    public static IResult List(string pool, IPoolSnapshotSource pools, IRouteStore routes, IHostHealthView health)
    {
        if (pools.Find(pool) is not { } found)
        {
            return Results.NotFound(new PickerError($"pool: '{pool}' is not served here"));
        }

        var poolRoutes = routes.List(found.Key);
        var hosts = found.Hosts.Select((h, i) =>
        {
            var sessions = poolRoutes.Count(r => RouteLifecycle.HoldsSlot(r.Phase) && RouteHosts.Resolve(found, r).Index == i);
            var usable = HostUsabilityRules.Check(found, i, health, [], newSession: true) == HostUsability.Usable;
            return new PickerHost(h.Name, sessions, found.SessionsPerHost, usable && sessions < found.SessionsPerHost, health.GetHealth(found.Key, h.Name).ToString());
        }).ToList();
        return Results.Json(new PickerView(found.Key, hosts));
    }

    public static async Task<IResult> PickAsync(
        HttpContext context, PickRequest pick, HttpProxyConfigProvider config, HttpGatewayOptions options, IAffinityCookieKeySource keys,
        IConnectionRouter router)
    {
        if (pick is not { Pool: { Length: > 0 } pool, Host: { Length: > 0 } host })
        {
            return Results.BadRequest(new PickerError("pool and host: both are required"));
        }

        if (config.Routes.FirstOrDefault(r => r.Pool == pool) is not { } plan)
        {
            return Results.NotFound(new PickerError($"pool: '{pool}' has no Http protocol served here"));
        }

        var identity = HttpIdentity.Resolve(context, plan.UserHeader, plan.CookieName, options, keys.Current, options.Random);
        if (!identity.Authenticated && !options.AllowAnonymousPinning)
        {
            return Results.Json(new PickerError("picking a host needs a signed-in user (anonymous pinning is off)"), statusCode: StatusCodes.Status403Forbidden);
        }

        identity.AppendCookie(context, plan.CookieName, options.CookieLifetime);
        var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
        var request = new RouteRequest(pool, plan.Protocol, identity.User, client, RequestedHost: host);
        var decision = await router.RouteAsync(request, [], context.RequestAborted);
        return decision.Result == RoutingResult.Routed
            ? Results.Json(new PickResult(decision.Host!.Name, decision.Reason))
            : Results.Json(new PickerError(decision.Reason), statusCode: StatusCodes.Status409Conflict);
    }
}

internal sealed record PickRequest(string? Pool, string? Host);

internal sealed record PickResult(string Host, string Reason);

internal sealed record PickerError(string Error);

internal sealed record PickerView(string Pool, IReadOnlyList<PickerHost> Hosts);

/// <param name="Available">A new session may go there (healthy, ready, not draining, not full).</param>
internal sealed record PickerHost(string Name, int Sessions, int Capacity, bool Available, string Health);
