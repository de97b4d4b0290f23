using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Objects;
using k8s.Models;

namespace DesktopOperator.Controllers.Routes;

/// <summary>
/// The statuses the SessionRoute controller writes, each built on a copy of the route's current status (never the
/// cached object) and turned into a write only when it differs from what the route has, so a repeated reconcile
/// writes nothing and records no second Event.
/// </summary>
internal static class RouteStatuses
{
    public static RoutePlan Bound(SessionRoute route, HostCandidate host, DesktopPool pool, DateTimeOffset now)
    {
        var status = Copy(route);
        status.Phase = RouteLifecycle.AfterMove(status.Phase ?? SessionRoutePhase.Pending, status.ActiveConnections);
        status.Host = host.Name;
        status.HostAddress = host.Address;
        status.HostUid = host.Uid;
        status.BoundAt = now;
        SetReady(status, route, true, ConditionReasons.Bound, $"bound to host '{host.Name}'", now);
        Conditions.Remove(status.Conditions!, ConditionTypes.Degraded);
        var message = $"Bound to host {host.Name} of pool {pool.Metadata.Name}";
        return Write(route, status, new RouteEvent(EventTypes.Normal, ConditionReasons.Bound, message)) with { Binds = true };
    }

    /// <summary>
    /// A route that waits for a slot or for its pinned host: Pending, with the reason; with <paramref name="keepPhase"/>,
    /// a route that keeps the host it holds while it waits for its new pin.
    /// </summary>
    public static RoutePlan Waiting(SessionRoute route, string reason, string eventType, string message, DateTimeOffset now, bool keepPhase = false)
    {
        var status = Copy(route);
        status.Phase = keepPhase ? status.Phase ?? SessionRoutePhase.Pending : SessionRoutePhase.Pending;
        SetReady(status, route, false, reason, message, now);
        Conditions.Remove(status.Conditions!, ConditionTypes.Degraded);
        return Write(route, status, new RouteEvent(eventType, reason, message));
    }

    /// <summary>A route that cannot be served as it is (no such pool, bad protocol or host): Ready and Degraded say why.</summary>
    public static RoutePlan Invalid(SessionRoute route, string reason, string message, DateTimeOffset now)
    {
        var status = Copy(route);
        status.Phase ??= SessionRoutePhase.Pending;
        SetReady(status, route, false, reason, message, now);
        Conditions.Set(status.Conditions!, Condition(route, ConditionTypes.Degraded, true, reason, message), now);
        return Write(route, status, new RouteEvent(EventTypes.Warning, reason, message));
    }

    public static RoutePlan Failed(SessionRoute route, string message, DateTimeOffset now)
    {
        var status = Copy(route);
        status.Phase = SessionRoutePhase.Failed;
        SetReady(status, route, false, ConditionReasons.HostGone, message, now);
        return Write(route, status, new RouteEvent(EventTypes.Warning, ConditionReasons.HostGone, message));
    }

    public static RoutePlan Expired(SessionRoute route, string message, DateTimeOffset now)
    {
        var status = Copy(route);
        status.Phase = SessionRoutePhase.Expired;
        SetReady(status, route, false, ConditionReasons.ResumeExpired, message, now);
        return Write(route, status, new RouteEvent(EventTypes.Normal, ConditionReasons.ResumeExpired, message));
    }

    /// <summary>
    /// A route holding its slot on <paramref name="host"/> (null: a host the controller does not check, e.g. one the
    /// route is about to leave): the host's pod uid and address recorded when its binder (the gateway, which knows
    /// names only) did not, and a Ready=False the operator set while it waited becomes Ready=True. Nothing else is
    /// written.
    /// </summary>
    public static RoutePlan Ready(SessionRoute route, HostCandidate? host, DateTimeOffset now)
    {
        var missingUid = host?.Uid is not null && route.Status?.HostUid is null;
        var missingAddress = host?.Address is not null && route.Status?.HostAddress is null;
        var waited = Conditions.Find(route.Status?.Conditions, ConditionTypes.Ready) is { Status: Conditions.False };
        if (!missingUid && !missingAddress && !waited)
        {
            return RoutePlan.Keep;
        }

        var status = Copy(route);
        if (missingUid)
        {
            status.HostUid = host!.Uid;
        }

        if (missingAddress)
        {
            status.HostAddress = host!.Address;
        }

        if (waited)
        {
            SetReady(status, route, true, ConditionReasons.Bound, $"bound to host '{status.Host}'", now);
            Conditions.Remove(status.Conditions!, ConditionTypes.Degraded);
        }

        return Write(route, status, null);
    }

    private static RoutePlan Write(SessionRoute route, SessionRouteStatus status, RouteEvent? why)
    {
        status.ObservedGeneration = route.Metadata.Generation;
        return route.Status is not null && KubeJson.Serialize(route.Status) == KubeJson.Serialize(status)
            ? RoutePlan.Keep
            : new RoutePlan { Action = RouteAction.WriteStatus, Status = status, Event = why };
    }

    private static SessionRouteStatus Copy(SessionRoute route)
    {
        var status = route.Status is null ? new SessionRouteStatus() : KubeJson.Deserialize<SessionRouteStatus>(KubeJson.Serialize(route.Status));
        status.Conditions ??= [];
        return status;
    }

    private static void SetReady(SessionRouteStatus status, SessionRoute route, bool ready, string reason, string message, DateTimeOffset now) =>
        Conditions.Set(status.Conditions!, Condition(route, ConditionTypes.Ready, ready, reason, message), now);

    private static V1Condition Condition(SessionRoute route, string type, bool value, string reason, string message) => new()
    {
        Type = type,
        Status = value ? Conditions.True : Conditions.False,
        Reason = reason,
        Message = message,
        ObservedGeneration = route.Metadata.Generation,
    };
}
