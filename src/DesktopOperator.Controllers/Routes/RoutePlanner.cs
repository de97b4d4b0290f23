using DesktopOperator.Api.Durations;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.Validation;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Runtime.Events;

namespace DesktopOperator.Controllers.Routes;

/// <summary>
/// Decides one reconcile of a SessionRoute, pure: the route, its pool (null when missing), the pool's live hosts and
/// the route's place among the routes waiting for a slot in, a <see cref="RoutePlan"/> out. In order: the pool must
/// exist; <see cref="RouteLifecycle.Sweep"/> fails a route whose host is gone (the host it stays on: one re-pinned
/// elsewhere that may move is moved, not failed), expires one idle for the pool's
/// <c>resumeFor</c> and deletes Expired and long-Failed ones; a route that holds a slot is left to the gateway, unless
/// its pin (<c>spec.host</c>) was changed to another host, where it moves once <see cref="RouteLifecycle.MayRepin"/>, or
/// the pool's <c>spec.access</c> no longer admits its user (a condition says so; the gateway refuses the connections); a
/// waiting (Pending) route is checked against the pool's <c>spec.access</c> (<see cref="PoolAccess"/>, the gateway's
/// rule) and validated against its pool, then bound to its pinned host or to the least-loaded host with a free slot,
/// first come first served, or kept Pending with the reason.
/// </summary>
internal static class RoutePlanner
{
    public static RoutePlan Plan(SessionRoute route, DesktopPool? pool, IReadOnlyList<HostCandidate> hosts, int queuePosition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(hosts);
        var phase = route.Status?.Phase ?? SessionRoutePhase.Pending;
        if (pool is null)
        {
            var why = $"spec.pool: DesktopPool '{route.Spec.Pool}' does not exist in namespace '{route.Metadata.NamespaceProperty}'";
            return RouteStatuses.Invalid(route, ConditionReasons.PoolNotFound, why, now);
        }

        var resumeFor = Duration.TryParse(pool.Spec.Affinity.ResumeFor, out var parsed) ? parsed : TimeSpan.MaxValue;
        var lastActivity = LastActivity(route, now);
        var host = route.Status?.Host;
        // The host a route's connections go to is the one that must still be there (RouteLifecycle.HostOf, the gateway's
        // reading too): a route that moves to its (usable) pin now is not failed for the host it leaves; one whose pin is not
        // usable stays, and is judged by, the host it holds; the re-pin below says why it does not move.
        var pinUsable = hosts.Any(h => h.Name == route.Spec.Host && h.Usable);
        var staysOnHost = RouteLifecycle.HostOf(route.Spec.Host, host, phase, pinUsable) == host;
        var sweep = new RouteSweepInput(phase, !string.IsNullOrEmpty(host), !staysOnHost || IsHostOf(route, hosts), ConnectionsHere: 0, now - lastActivity);
        switch (RouteLifecycle.Sweep(sweep, resumeFor, pendingTimeout: TimeSpan.MaxValue, soleGateway: false))
        {
            case RouteSweep.Fail:
                return RouteStatuses.Failed(route, $"status.host: host '{host}' is gone from pool '{pool.Metadata.Name}'", now) with { RequeueAfter = Until(lastActivity, resumeFor, now) };
            case RouteSweep.Expire:
                return RouteStatuses.Expired(route, $"unused for spec.affinity.resumeFor ({pool.Spec.Affinity.ResumeFor}) of pool '{pool.Metadata.Name}'", now);
            case RouteSweep.Delete:
                return new RoutePlan { Action = RouteAction.Delete };
        }

        if (phase != SessionRoutePhase.Pending)
        {
            // Live routes are the gateway's to update; the operator only moves a re-pinned one and clears a condition it set
            // while the route waited.
            var after = phase is SessionRoutePhase.Active ? null : Until(lastActivity, resumeFor, now);
            if (RouteLifecycle.HoldsSlot(phase) && PoolAccess.Of(pool.Spec.Access).RefusalOf(route.Spec.User, RouteKeyKind.Of(route.Metadata), pool.Metadata.Name) is { } refused)
            {
                // The gateway refuses the user's next connection (it checks access on each); the route says why.
                return RouteStatuses.Invalid(route, ConditionReasons.AccessDenied, refused, now) with { RequeueAfter = after };
            }

            if (Repin(route, pool, hosts, phase, now) is { } repin)
            {
                return repin with { RequeueAfter = after };
            }

            var held = staysOnHost ? hosts.FirstOrDefault(h => IsHostOf(route, h)) : null;
            return RouteLifecycle.HoldsSlot(phase) ? RouteStatuses.Ready(route, held, now) with { RequeueAfter = after } : RoutePlan.Keep with { RequeueAfter = after };
        }

        if (PoolAccess.Of(pool.Spec.Access).RefusalOf(route.Spec.User, RouteKeyKind.Of(route.Metadata), pool.Metadata.Name) is { } refusal)
        {
            return RouteStatuses.Invalid(route, ConditionReasons.AccessDenied, refusal, now);
        }

        var errors = SessionRouteValidator.ValidateAgainstPool(route, pool).ToList();
        var pin = route.Spec.Host;
        if (pin is not null && pool.Spec.Template is not null && !hosts.Any(h => h.Name == pin))
        {
            errors.Add(new ValidationError("spec.host", $"'{pin}' is not a host of pool '{pool.Metadata.Name}'"));
        }

        if (errors.Count > 0)
        {
            var reason = errors.Any(e => e.Field == "spec.host") ? ConditionReasons.HostNotFound : ConditionReasons.InvalidSpec;
            return RouteStatuses.Invalid(route, reason, string.Join("; ", errors.Select(e => e.ToString())), now);
        }

        var perHost = pool.Spec.Capacity.SessionsPerHost;
        if (pin is not null)
        {
            var pinned = hosts.First(h => h.Name == pin);
            return pinned.Usable
                ? RouteStatuses.Bound(route, pinned, pool, now)
                : RouteStatuses.Waiting(route, ConditionReasons.HostNotUsable, EventTypes.Warning, $"spec.host: host '{pin}' {pinned.Unusable}", now);
        }

        if (queuePosition < HostChoice.FreeSlots(hosts, perHost) && HostChoice.LeastSessions(hosts, perHost) is { } chosen)
        {
            return RouteStatuses.Bound(route, chosen, pool, now);
        }

        return RouteStatuses.Waiting(route, ConditionReasons.Queued, EventTypes.Normal, $"pool '{pool.Metadata.Name}' has no free slot on a usable host: waiting", now);
    }

    /// <summary>
    /// A route holding a slot whose pin names another host than the one it holds, and that may move now: bound to the pin
    /// when this user may use the pool and the pin is a usable host of it (the capacity rule of a pin: none, as for a
    /// Pending pinned route); else it keeps its host and phase, and the Ready condition says why. Null: nothing to move.
    /// </summary>
    private static RoutePlan? Repin(SessionRoute route, DesktopPool pool, IReadOnlyList<HostCandidate> hosts, SessionRoutePhase phase, DateTimeOffset now)
    {
        if (route.Spec.Host is not { } pin || route.Status?.Host is not { } held || pin == held || !RouteLifecycle.MayRepin(phase))
        {
            return null;
        }

        if (PoolAccess.Of(pool.Spec.Access).RefusalOf(route.Spec.User, RouteKeyKind.Of(route.Metadata), pool.Metadata.Name) is { } refusal)
        {
            return RouteStatuses.Invalid(route, ConditionReasons.AccessDenied, refusal, now);
        }

        if (hosts.FirstOrDefault(h => h.Name == pin) is not { } target)
        {
            return RouteStatuses.Invalid(route, ConditionReasons.HostNotFound, $"spec.host: '{pin}' is not a host of pool '{pool.Metadata.Name}'", now);
        }

        return target.Usable
            ? RouteStatuses.Bound(route, target, pool, now)
            : RouteStatuses.Waiting(route, ConditionReasons.HostNotUsable, EventTypes.Warning, $"spec.host: host '{pin}' {target.Unusable}", now, keepPhase: true);
    }

    /// <summary>
    /// Whether the route's host is still in the pool: a host of that name that is the machine the route was bound to (a
    /// pod deleted and re-created under the same name is a new machine; the user's desktop is gone with the old one).
    /// </summary>
    private static bool IsHostOf(SessionRoute route, IReadOnlyList<HostCandidate> hosts) => hosts.Any(h => IsHostOf(route, h));

    /// <summary>
    /// The same machine: the uid recorded at bind (<c>status.hostUid</c>) when there is one; for a route bound without
    /// one (not recorded yet), a pod that existed when the route was bound.
    /// </summary>
    private static bool IsHostOf(SessionRoute route, HostCandidate host) =>
        host.Name == route.Status?.Host
        && (route.Status.HostUid is { } uid
            ? RouteLifecycle.IsSameHost(uid, host.Uid)
            : host.CreatedAt is null || route.Status.BoundAt is null || host.CreatedAt <= route.Status.BoundAt);

    /// <summary>When the route was last in use: last seen, else bound, else created.</summary>
    public static DateTimeOffset LastActivity(SessionRoute route, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(route);
        return RouteLifecycle.LastActivity(
            route.Status?.LastSeen,
            route.Status?.BoundAt,
            route.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : now);
    }

    /// <summary>How long until <paramref name="resumeFor"/> after <paramref name="since"/> (at least a second); null for never.</summary>
    private static TimeSpan? Until(DateTimeOffset since, TimeSpan resumeFor, DateTimeOffset now)
    {
        if (resumeFor == TimeSpan.MaxValue)
        {
            return null;
        }

        var wait = since + resumeFor - now;
        return wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }
}
