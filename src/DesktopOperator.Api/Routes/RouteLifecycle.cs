using System.Net;
using System.Net.Sockets;
using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Api.Routes;

/// <summary>
/// Every rule of a session route's life, in one place and pure (API types and clock values in, decisions out), so the
/// gateway, its route stores and the SessionRoute controller apply the same ones:
/// Pending → Bound → Active ⇄ Disconnected → Expired, or Failed.
/// <list type="bullet">
/// <item>Bound, Active and Disconnected routes hold a slot on their host (<see cref="HoldsSlot"/>).</item>
/// <item>A route's key is the user, or the client address (<see cref="AffinityKeyOf"/>).</item>
/// <item>Connections counted on a route decide Active / Disconnected (<see cref="AfterConnections"/>).</item>
/// <item>A route moved to a new host is Bound, or stays Active while it has connections (<see cref="AfterMove"/>).</item>
/// <item>A pinned route is never moved silently (<see cref="MayMove"/>); a pin changed to another host moves the route
/// there once no connection runs on it and it is usable (<see cref="MayRepin"/>, <see cref="HostOf(string?, string?, SessionRoutePhase, bool)"/>).</item>
/// <item>A host pod replaced by another of the same name is gone for the routes that recorded its uid (<see cref="IsSameHost"/>).</item>
/// <item>Expiry, host gone, abandoned queue entries and gone pools (<see cref="Sweep"/>, <see cref="SweepGonePool"/>).</item>
/// <item>Restart: connections counted by an earlier process are gone with it; the route is Disconnected since the
/// restart (<see cref="AdoptOnRestart"/>), not since its stored last-seen time, which is only written at connect and
/// disconnect and so may be far older than the moment the user was last connected.</item>
/// </list>
/// </summary>
public static class RouteLifecycle
{
    /// <summary>
    /// When a route was last used, the moment its <c>resumeFor</c> counts from: its <c>lastSeen</c> or, if later, when
    /// it was bound. A route the operator binds from the queue was last seen when its user started to wait; its user gets
    /// <c>resumeFor</c> from the binding, not from then (else it could expire before the gateway counts the held
    /// connection that the binding lets through).
    /// </summary>
    public static DateTimeOffset LastActivity(DateTimeOffset? lastSeen, DateTimeOffset? boundAt, DateTimeOffset otherwise) =>
        lastSeen is { } seen && boundAt is { } bound ? (seen > bound ? seen : bound) : lastSeen ?? boundAt ?? otherwise;

    /// <summary>Routes in these phases hold a slot on their host.</summary>
    public static bool HoldsSlot(SessionRoutePhase phase) =>
        phase is SessionRoutePhase.Bound or SessionRoutePhase.Active or SessionRoutePhase.Disconnected;

    /// <summary>
    /// The route key of a connection: the user when the pool keys by user and the protocol carried one, otherwise the
    /// client address (IPv4-mapped IPv6 addresses folded to IPv4, so dual-stack listeners agree).
    /// </summary>
    public static (AffinityKey Kind, string Key) AffinityKeyOf(AffinityKey preferred, string? user, IPAddress client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (preferred == AffinityKey.User && !string.IsNullOrEmpty(user))
        {
            return (AffinityKey.User, user);
        }

        if (client.AddressFamily == AddressFamily.InterNetworkV6 && client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        return (AffinityKey.SourceIP, client.ToString());
    }

    /// <summary>
    /// The phase after the route's connection count became <paramref name="connections"/> (connect or disconnect):
    /// Active while any is open; a Bound or Active route with none is Disconnected; Failed stays Failed.
    /// </summary>
    public static SessionRoutePhase AfterConnections(SessionRoutePhase stored, int connections) => (connections, stored) switch
    {
        (_, SessionRoutePhase.Failed) => SessionRoutePhase.Failed,
        ( > 0, _) => SessionRoutePhase.Active,
        (_, SessionRoutePhase.Active or SessionRoutePhase.Bound) => SessionRoutePhase.Disconnected,
        _ => stored,
    };

    /// <summary>The phase of a route given a new host (moved, or a Pending/Expired/Failed one filled): Bound, or Active while connections run.</summary>
    public static SessionRoutePhase AfterMove(SessionRoutePhase current, int activeConnections) =>
        current == SessionRoutePhase.Active && activeConnections > 0 ? SessionRoutePhase.Active : SessionRoutePhase.Bound;

    /// <summary>A pinned route (<c>spec.host</c>: the user's or an admin's choice) is never moved to another host silently.</summary>
    public static bool MayMove(bool pinned) => !pinned;

    /// <summary>
    /// Whether a route whose pin (<c>spec.host</c>) names another host than the one it holds is moved to the pin now: a
    /// Bound or Disconnected route is (no connection runs on its host); an Active one keeps its host while its
    /// connections run (the proxy never moves a live connection) and is moved once it is Disconnected. Routes that hold
    /// no slot take the pin when they are bound.
    /// </summary>
    public static bool MayRepin(SessionRoutePhase phase) => phase is SessionRoutePhase.Bound or SessionRoutePhase.Disconnected;

    /// <summary>
    /// The host a route's connections go to, the gateway's and the controller's reading alike: the pin
    /// (<paramref name="pin"/>, <c>spec.host</c>) unless the route holds another host (<paramref name="held"/>,
    /// <c>status.host</c>) that it may not leave yet (<see cref="MayRepin"/>: Active, its connections run there), and the
    /// held host when there is no pin. A user who opens a second window while re-pinned joins the running session.
    /// </summary>
    public static string? HostOf(string? pin, string? held, SessionRoutePhase phase) =>
        pin is not null && (held is null || !HoldsSlot(phase) || MayRepin(phase)) ? pin : held;

    /// <summary>
    /// <see cref="HostOf(string?, string?, SessionRoutePhase)"/> knowing whether the pin is a usable host of the pool
    /// (<paramref name="pinUsable"/>: in the pool, ready, not draining): a route holding a slot moves to its pin only
    /// when it is, as the SessionRoute controller moves it; until then it stays on its held host (and is judged by it:
    /// a pin that is not usable neither receives the user nor fails the route).
    /// </summary>
    public static string? HostOf(string? pin, string? held, SessionRoutePhase phase, bool pinUsable) =>
        pinUsable || held is null || !HoldsSlot(phase) ? HostOf(pin, held, phase) : held;

    /// <summary>
    /// Whether the host pod a route holds is still the machine it was bound to: a route that recorded its host's uid
    /// (<c>status.hostUid</c>, <paramref name="recordedUid"/>) lost its host when the pod of that name now has another uid
    /// (<paramref name="currentUid"/>: deleted and re-created under the same name, a new machine without the user's
    /// desktop). Without a recorded uid, or for hosts without one (static hosts), the name decides.
    /// </summary>
    public static bool IsSameHost(string? recordedUid, string? currentUid) =>
        recordedUid is null || currentUid is null || string.Equals(recordedUid, currentUid, StringComparison.Ordinal);

    /// <summary>
    /// Whether a route that started to wait (or still waits) for a slot must be written as Pending now: live routes
    /// keep their host; Expired or Failed ones become Pending; a Pending one is refreshed every <paramref name="refreshInterval"/>.
    /// </summary>
    public static bool NeedsPendingWrite(SessionRoutePhase phase, DateTimeOffset lastSeen, DateTimeOffset now, TimeSpan refreshInterval) =>
        !HoldsSlot(phase) && (phase != SessionRoutePhase.Pending || now - lastSeen >= refreshInterval);

    /// <summary>
    /// Whether a route read back after a restart must be adopted: connections counted by the previous process are
    /// gone with it, so the route is Disconnected, with no connections, since <c>now</c>.
    /// </summary>
    public static bool AdoptOnRestart(SessionRoutePhase phase, int activeConnections) =>
        activeConnections > 0 || phase == SessionRoutePhase.Active;

    /// <summary>
    /// What a sweep does with a route of a pool that exists, in this order: a live route whose host left the pool
    /// fails; with <paramref name="soleGateway"/> (no other process counts connections on this store, standalone mode)
    /// an Active route no connection here holds is adopted; a Bound or Disconnected one idle for
    /// <paramref name="resumeFor"/> expires; Failed ones idle for <paramref name="resumeFor"/>, Expired ones, and Pending
    /// ones idle for <paramref name="pendingTimeout"/> (the client gave up) are deleted.
    /// </summary>
    public static RouteSweep Sweep(in RouteSweepInput route, TimeSpan resumeFor, TimeSpan pendingTimeout, bool soleGateway)
    {
        var phase = route.Phase;
        if (route.HasHost && !route.HostInPool && HoldsSlot(phase))
        {
            return RouteSweep.Fail;
        }

        if (soleGateway && phase == SessionRoutePhase.Active && route.ConnectionsHere == 0)
        {
            return RouteSweep.Adopt;
        }

        if (phase is SessionRoutePhase.Bound or SessionRoutePhase.Disconnected && route.ConnectionsHere == 0 && route.Idle >= resumeFor)
        {
            return RouteSweep.Expire;
        }

        return (phase == SessionRoutePhase.Failed && route.Idle >= resumeFor) || phase == SessionRoutePhase.Expired
            || (phase == SessionRoutePhase.Pending && route.Idle >= pendingTimeout)
            ? RouteSweep.Delete
            : RouteSweep.Keep;
    }

    /// <summary>
    /// A route of a pool that is gone (deleted): deleted once no connection here holds it and it was idle for the
    /// pool's last known <paramref name="resumeFor"/>, so a pool put back in time finds its users' routes again.
    /// </summary>
    public static RouteSweep SweepGonePool(int connectionsHere, TimeSpan idle, TimeSpan resumeFor) =>
        connectionsHere == 0 && idle >= resumeFor ? RouteSweep.Delete : RouteSweep.Keep;
}
