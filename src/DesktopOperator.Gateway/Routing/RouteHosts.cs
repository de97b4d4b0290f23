using DesktopOperator.Api.Routes;
using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Routing;

/// <summary>
/// Which host of a pool a route's connections go to, and whether that host is still the route's, read as the
/// SessionRoute controller reads them (pure, <see cref="RouteLifecycle"/>'s rules): a route re-pinned to another host
/// (<see cref="RouteRecord.HeldHost"/>) goes to its pin once it may move and the pin is usable (in the pool, ready, not
/// draining), else it stays on, and is judged by, the host it holds; a host whose pod now has another uid than the one
/// the route recorded (<see cref="RouteRecord.HostUid"/>) is gone for it, like a host no longer in the pool.
/// </summary>
internal static class RouteHosts
{
    /// <summary>
    /// The route's host (null: none) and its index in <paramref name="pool"/>, -1 when it is not there or is another
    /// machine now (<see cref="RouteLifecycle.IsSameHost"/>).
    /// </summary>
    public static (string? Name, int Index) Resolve(GatewayPool pool, RouteRecord route)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(route);
        var name = route.HeldHost is { } held
            ? RouteLifecycle.HostOf(route.Host, held, route.Phase, IsUsablePin(pool, route.Host))
            : route.Host;
        if (name is null)
        {
            return (null, -1);
        }

        var index = pool.IndexOf(name);
        var recordedUid = name == route.HeldOrHost ? route.HostUid : null;
        return (name, index >= 0 && RouteLifecycle.IsSameHost(recordedUid, pool.Hosts[index].Uid) ? index : -1);
    }

    /// <summary>The uid of <paramref name="host"/> in <paramref name="pool"/>, recorded with a route bound to it; null when unknown.</summary>
    public static string? UidOf(GatewayPool pool, string host)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var index = pool.IndexOf(host);
        return index >= 0 ? pool.Hosts[index].Uid : null;
    }

    /// <summary>The controller's usable host (<c>HostRules.WhyNotUsable</c>): in the pool, ready, not draining or terminating.</summary>
    private static bool IsUsablePin(GatewayPool pool, string? pin)
    {
        var index = pin is null ? -1 : pool.IndexOf(pin);
        return index >= 0 && pool.Hosts[index] is { Ready: true, Draining: false };
    }
}
