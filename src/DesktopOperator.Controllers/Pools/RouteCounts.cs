using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// The sessions of one pool, counted from its SessionRoutes. A session counts for scaling while it holds a host or
/// waits for one (Pending, Bound, Active, Disconnected); a route holds its host (is "bound" to it) while Bound,
/// Active or Disconnected. Expired and Failed routes count for nothing.
/// </summary>
internal sealed record RouteCounts(int Pending, int Bound, int Active, int Disconnected, IReadOnlyDictionary<string, HostSessions> PerHost)
{
    public int Sessions => Pending + Bound + Active + Disconnected;

    public int BoundTo(string host) => PerHost.TryGetValue(host, out var s) ? s.Bound : 0;

    public static RouteCounts Count(IEnumerable<SessionRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        int pending = 0, bound = 0, active = 0, disconnected = 0;
        var perHost = new Dictionary<string, HostSessions>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            var phase = route.Status?.Phase ?? SessionRoutePhase.Pending;
            switch (phase)
            {
                case SessionRoutePhase.Pending: pending++; continue;
                case SessionRoutePhase.Bound: bound++; break;
                case SessionRoutePhase.Active: active++; break;
                case SessionRoutePhase.Disconnected: disconnected++; break;
                default: continue;
            }

            if (route.Status?.Host is { Length: > 0 } host)
            {
                var s = perHost.GetValueOrDefault(host);
                perHost[host] = new HostSessions(
                    s.Bound + 1,
                    s.Active + (phase == SessionRoutePhase.Active ? 1 : 0),
                    s.Disconnected + (phase == SessionRoutePhase.Disconnected ? 1 : 0));
            }
        }

        return new RouteCounts(pending, bound, active, disconnected, perHost);
    }
}
