using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;

namespace DesktopOperator.Gateway.Pools;

/// <summary>
/// Builds the <see cref="GatewayPlan"/> for a set of validated pools, resolving what no single pool's validation can
/// see: a pool key given twice (the first wins) a gateway port (or an Http path and host name) claimed by two pools (the first keeps it; the
/// other pool still routes its remaining protocols). Input order decides "first" (file-name order in standalone mode).
/// </summary>
internal static class GatewayPlanner
{
    public static GatewayPlan Plan(IEnumerable<DesktopPool> desktopPools, Func<DesktopPool, IReadOnlyList<GatewayHost>> hostsOf)
    {
        var pools = new List<GatewayPool>();
        var targets = new List<HealthTarget>();
        var listeners = new List<TcpListenerPlan>();
        var errors = new List<string>();
        var portOwners = new Dictionary<int, string>();
        var httpRoutes = new List<HttpRoutePlan>();
        var httpOwners = new Dictionary<(string?, string?), string>();
        var keys = new HashSet<string>(StringComparer.Ordinal);

        foreach (var pool in desktopPools)
        {
            var key = DesktopPoolMapper.KeyOf(pool);
            if (!keys.Add(key))
            {
                errors.Add($"{key}: metadata.name: the pool is defined twice; the first definition is used");
                continue;
            }

            var hosts = hostsOf(pool);
            pools.Add(DesktopPoolMapper.ToGatewayPool(pool, hosts));
            targets.AddRange(DesktopPoolMapper.HealthTargets(pool, hosts));
            foreach (var listener in DesktopPoolMapper.Listeners(pool))
            {
                if (portOwners.TryAdd(listener.Port, listener.Name))
                {
                    listeners.Add(listener);
                }
                else
                {
                    errors.Add($"{key}: spec.protocols[{listener.Settings.Protocol}].gatewayPort: port {listener.Port} is already used by {portOwners[listener.Port]}");
                }
            }

            foreach (var route in DesktopPoolMapper.HttpRoutes(pool))
            {
                if (httpOwners.TryAdd((route.Hostname, route.PathPrefix), route.Id))
                {
                    httpRoutes.Add(route);
                }
                else
                {
                    errors.Add($"{key}: spec.protocols[{route.Protocol}].path: {route.Hostname}{route.PathPrefix}/ is already served by {httpOwners[(route.Hostname, route.PathPrefix)]}");
                }
            }
        }

        return new GatewayPlan(pools, targets, listeners, errors) { HttpRoutes = httpRoutes };
    }
}
