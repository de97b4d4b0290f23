using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Controllers.Routes;

/// <summary>What one reconcile of a route does (<see cref="RoutePlanner"/>).</summary>
internal sealed record RoutePlan
{
    public static RoutePlan Keep { get; } = new();

    public RouteAction Action { get; init; }

    /// <summary>The status to write, for <see cref="RouteAction.WriteStatus"/>.</summary>
    public SessionRouteStatus? Status { get; init; }

    /// <summary>The Event that explains the write (recorded only when the status changed, so never repeated).</summary>
    public RouteEvent? Event { get; init; }

    /// <summary>When time alone would change the plan (expiry, deletion of a Failed route).</summary>
    public TimeSpan? RequeueAfter { get; init; }

    /// <summary>Whether the write binds the route to <see cref="SessionRouteStatus.Host"/> (a slot taken).</summary>
    public bool Binds { get; init; }
}
