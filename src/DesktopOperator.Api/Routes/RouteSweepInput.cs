using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Api.Routes;

/// <summary>What a sweep knows of one route (<see cref="RouteLifecycle.Sweep"/>).</summary>
/// <param name="HasHost">The route names a host.</param>
/// <param name="HostInPool">That host is still in the pool (ignored without a host).</param>
/// <param name="ConnectionsHere">Connections this gateway has open on the route.</param>
/// <param name="Idle">Time since the route's last-seen time.</param>
public readonly record struct RouteSweepInput(SessionRoutePhase Phase, bool HasHost, bool HostInPool, int ConnectionsHere, TimeSpan Idle);
