using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Tests.Routing;

/// <summary>
/// One generated routing situation, with an oracle written independently of the engine: what "usable" and "fits"
/// mean, spelled out from the rules rather than by calling the engine's helpers.
/// </summary>
internal sealed record Scenario(GatewayPool Pool, IReadOnlyList<RouteRecord> Routes, TestHealthView Health, RouteRequest Request, string[] Excluded)
{
    public bool UsableForExisting(string host) =>
        Pool.Hosts.FirstOrDefault(h => h.Name == host) is { } h
        && h.Ready
        && Health.GetHealth(Pool.Key, host) != HostHealth.Unhealthy
        && !Excluded.Contains(host);

    public bool UsableForNew(string host) =>
        UsableForExisting(host) && Pool.Hosts.First(h => h.Name == host) is { Draining: false, Weight: > 0 };

    public int SessionsOn(string host) =>
        Routes.Count(r => r.Host == host && r.Phase is SessionRoutePhase.Bound or SessionRoutePhase.Active or SessionRoutePhase.Disconnected);

    public bool Fits(string host) => UsableForNew(host) && SessionsOn(host) < Pool.SessionsPerHost;

    public string Key => RoutingEngine.AffinityKeyOf(Pool, Request).Key;

    public RouteRecord? LiveRoute => Routes.FirstOrDefault(r =>
        r.Key == Key && r.Host is not null && r.Phase is SessionRoutePhase.Bound or SessionRoutePhase.Active or SessionRoutePhase.Disconnected);

    public bool UserAtLimit =>
        Pool.MaxSessionsPerUser > 0 && Request.User is { } user
        && Routes.Where(r => r.KeyKind == AffinityKey.User && r.Key == user).Sum(r => r.ActiveConnections) >= Pool.MaxSessionsPerUser;
}
