using System.Globalization;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using k8s.Models;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>
/// Pure translation between the gateway's <see cref="RouteRecord"/> and a SessionRoute object (Kubernetes mode).
/// The route's version is the object's <c>resourceVersion</c>; its host is <c>spec.host</c> when pinned, else
/// <c>status.host</c>; a route that holds a slot on another host than its pin carries that one as
/// <see cref="RouteRecord.HeldHost"/> (written back as <c>status.host</c>), and which of the two its connections go to is
/// decided with the pool in hand (<see cref="Routing.RouteHosts"/>: an Active route keeps its host until it is
/// Disconnected, and a route never moves to a pin that is not usable). <c>status.hostUid</c> is
/// <see cref="RouteRecord.HostUid"/>. The affinity key's kind has no field in the API and travels in an annotation
/// (<see cref="RouteKeyKind"/>).
/// </summary>
internal static class SessionRouteMapper
{

    /// <summary>The route an object stands for, or null when it is not one the gateway can use (no namespace, pool or user).</summary>
    public static RouteRecord? ToRecord(SessionRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var metadata = route.Metadata;
        if (metadata.NamespaceProperty is not { Length: > 0 } ns || route.Spec.Pool.Length == 0 || route.Spec.User.Length == 0)
        {
            return null;
        }

        var status = route.Status ?? new SessionRouteStatus();
        var created = metadata.CreationTimestamp is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;
        var boundAt = status.BoundAt ?? created;
        var phase = status.Phase ?? SessionRoutePhase.Pending;
        var pin = route.Spec.Host;
        var held = pin is not null && status.Host is { } h && h != pin && RouteLifecycle.HoldsSlot(phase) ? h : null;
        var host = pin ?? status.Host;
        return new RouteRecord(
            PoolKey(ns, route.Spec.Pool),
            route.Spec.User,
            RouteKeyKind.Of(metadata),
            route.Spec.Protocol ?? "",
            host,
            pin is not null,
            phase,
            boundAt,
            RouteLifecycle.LastActivity(status.LastSeen, boundAt, boundAt),
            status.ActiveConnections)
        {
            Version = metadata.ResourceVersion ?? "",
            HeldHost = held,
            HostUid = status.Host is not null && status.Host == (held ?? host) ? status.HostUid : null,
        };
    }

    /// <summary>A new object for <paramref name="record"/>, under the deterministic name of <see cref="SessionRouteNames"/>.</summary>
    public static SessionRoute ToNew(RouteRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (ns, pool) = SplitPoolKey(record.Pool);
        return new SessionRoute
        {
            Metadata = new V1ObjectMeta
            {
                Name = SessionRouteNames.For(pool, record.Key),
                NamespaceProperty = ns,
                Annotations = new Dictionary<string, string> { [RouteKeyKind.Annotation] = record.KeyKind.ToString() },
            },
            Spec = new SessionRouteSpec
            {
                Pool = pool,
                User = record.Key,
                Protocol = record.Protocol.Length == 0 ? null : record.Protocol,
                Host = record.Pinned ? record.Host : null,
            },
            Status = StatusOf(record, null),
        };
    }

    /// <summary>The status <paramref name="record"/> implies, keeping what only others write (conditions, observedGeneration, address) and the uid the record does not know.</summary>
    public static SessionRouteStatus StatusOf(RouteRecord record, SessionRouteStatus? current)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new SessionRouteStatus
        {
            ObservedGeneration = current?.ObservedGeneration,
            Conditions = current?.Conditions,
            HostAddress = current?.Host == record.HeldOrHost ? current?.HostAddress : null,
            HostUid = record.HostUid ?? (current?.Host == record.HeldOrHost ? current?.HostUid : null),
            Phase = record.Phase,
            Host = record.HeldOrHost,
            BoundAt = record.BoundAt,
            LastSeen = record.LastSeen,
            ActiveConnections = record.ActiveConnections,
        };
    }

    /// <summary>The gateway's pool key, <c>namespace/name</c>.</summary>
    public static string PoolKey(string ns, string pool) => string.Create(CultureInfo.InvariantCulture, $"{ns}/{pool}");

    public static (string Namespace, string Pool) SplitPoolKey(string poolKey)
    {
        ArgumentNullException.ThrowIfNull(poolKey);
        var slash = poolKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == poolKey.Length - 1)
        {
            throw new ArgumentException($"pool key '{poolKey}' is not namespace/name", nameof(poolKey));
        }

        return (poolKey[..slash], poolKey[(slash + 1)..]);
    }
}
