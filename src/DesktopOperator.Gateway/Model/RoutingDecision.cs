namespace DesktopOperator.Gateway.Model;

/// <summary>
/// The routing engine's answer, with a short human-readable <see cref="Reason"/> (logged and shown on the status
/// page). <see cref="Host"/> is set only for <see cref="RoutingResult.Routed"/>.
/// </summary>
/// <param name="NewRoute">True when no usable route existed and this decision makes one.</param>
/// <param name="RouteKey">The affinity key of the route (user, or client address), when there is one.</param>
internal sealed record RoutingDecision(
    RoutingResult Result,
    string Reason,
    HostTarget? Host = null,
    bool NewRoute = false,
    string? RouteKey = null);
