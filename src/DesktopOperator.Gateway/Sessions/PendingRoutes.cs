using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;

namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// Records queued demand as Pending routes (no host), so the pool's status and <c>gateway_routes{phase="Pending"}</c>
/// show users waiting for a slot and the operator can scale up for them. A queued client re-asks at least every
/// <see cref="ConnectionRouter.QueueRecheckInterval"/>; the route's LastSeen is refreshed at most every
/// <see cref="RefreshInterval"/> (not per re-ask: each refresh is a store write), and <see cref="RouteExpiry"/>
/// deletes a Pending route not refreshed for <see cref="RouteExpiry.PendingTimeout"/> (the client gave up).
/// The next Routed decision for the key turns the route Bound. A live route is never turned Pending. Writes are
/// conditional on the version the decision read (<see cref="RouteRetry"/>).
/// </summary>
internal sealed class PendingRoutes(IRouteStore routes, TimeProvider time)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(20);

    /// <summary>Records the wait; true when the route starts waiting now (it was not Pending before).</summary>
    public ValueTask<bool> RecordAsync(GatewayPool pool, RouteRequest request, CancellationToken cancellationToken) =>
        RouteRetry.OnConflictAsync(ct => TryRecordAsync(pool, request, ct), cancellationToken);

    private async ValueTask<bool> TryRecordAsync(GatewayPool pool, RouteRequest request, CancellationToken cancellationToken)
    {
        var (kind, key) = RoutingEngine.AffinityKeyOf(pool, request);
        var now = time.GetUtcNow();
        var current = routes.Find(pool.Key, key);
        if (current is null)
        {
            var created = await routes.CreateAsync(
                new RouteRecord(pool.Key, key, kind, request.Protocol, null, false, SessionRoutePhase.Pending, now, now, 0),
                cancellationToken).ConfigureAwait(false);
            if (created.Created)
            {
                return true;
            }

            current = created.Route;
        }

        if (!NeedsWrite(current, now))
        {
            return false;
        }

        var startsWaiting = current.Phase != SessionRoutePhase.Pending;
        var pending = current with
        {
            KeyKind = kind,
            Protocol = request.Protocol,
            Host = null,
            Pinned = false,
            Phase = SessionRoutePhase.Pending,
            BoundAt = startsWaiting ? now : current.BoundAt, // a refresh keeps when the wait began
            LastSeen = now,
            ActiveConnections = 0,
        };
        await routes.UpdateAsync(pending, cancellationToken).ConfigureAwait(false);
        return startsWaiting;
    }

    private static bool NeedsWrite(RouteRecord route, DateTimeOffset now) =>
        RouteLifecycle.NeedsPendingWrite(route.Phase, route.LastSeen, now, RefreshInterval);
}
