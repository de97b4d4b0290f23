using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;

namespace DesktopOperator.Gateway.Pools;

/// <summary>
/// Everything the gateway runs for a set of DesktopPools: the routing engine's pools, the hosts to health-check and
/// the ports to listen on, the Http protocols to proxy, plus the reasons some pool or port was left out (each <c>pool: field: why</c>).
/// </summary>
internal sealed record GatewayPlan(
    IReadOnlyList<GatewayPool> Pools,
    IReadOnlyList<HealthTarget> HealthTargets,
    IReadOnlyList<TcpListenerPlan> Listeners,
    IReadOnlyList<string> Errors)
{
    /// <summary>The Http protocols the HTTP proxy serves (<see cref="HttpProxyConfigProvider"/>).</summary>
    public IReadOnlyList<HttpRoutePlan> HttpRoutes { get; init; } = [];
}
