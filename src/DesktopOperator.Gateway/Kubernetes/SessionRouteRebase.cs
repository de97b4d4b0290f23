using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>
/// What a gateway replica does when the SessionRoute it owes a write to changed on the server meanwhile (a 409 on
/// the write, a newer object from the watch, or an AlreadyExists for a route it created during an outage). Pure.
/// <list type="bullet">
/// <item>Another writer's decision is never overwritten: when the server's route has another host, pin or held host than the one
/// ours was decided on, or no longer holds a slot (<see cref="RouteLifecycle.HoldsSlot"/>: Pending, Expired, Failed),
/// the server's route stands and our owed change is dropped.</item>
/// <item>Otherwise the other writer changed only the session's status (another replica's connection count, last-seen,
/// conditions): our change goes on top of the server's route, the phase re-decided from our connection count through
/// <see cref="RouteLifecycle.AfterConnections"/>, last-seen the later of the two, and it is written again on the new
/// version.</item>
/// </list>
/// A route this replica created locally (no base) that meets the same user's route from another replica adopts it:
/// on the same host it keeps our session status; on another host the winner's route stands, and a connection already
/// running on our host keeps it until it ends (the proxy never moves a live connection).
/// </summary>
internal static class SessionRouteRebase
{
    /// <summary>
    /// The route to keep after <paramref name="server"/> changed under <paramref name="local"/>, which was decided on
    /// <paramref name="decidedOn"/> (null for a route created locally); <c>Owed</c> says it still differs from the server's.
    /// </summary>
    public static (RouteRecord Route, bool Owed) Decide(RouteRecord? decidedOn, RouteRecord local, RouteRecord server)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(server);
        var sameDecision = decidedOn is null
            ? server.Host == local.Host && RouteLifecycle.HoldsSlot(local.Phase)
            : server.Host == decidedOn.Host && server.Pinned == decidedOn.Pinned && server.HeldHost == decidedOn.HeldHost;
        if (!sameDecision || !RouteLifecycle.HoldsSlot(server.Phase))
        {
            return (server, false);
        }

        var host = decidedOn is null ? server.Host : local.Host;
        var pinned = decidedOn is null ? server.Pinned : local.Pinned;
        var held = decidedOn is null ? server.HeldHost : local.HeldHost;
        var phase = local.Phase is SessionRoutePhase.Active or SessionRoutePhase.Disconnected
            ? RouteLifecycle.AfterConnections(server.Phase, local.ActiveConnections)
            : local.Phase;
        var merged = server with
        {
            Host = host,
            Pinned = pinned,
            HeldHost = held,
            HostUid = (held ?? host) == server.HeldOrHost ? local.HostUid ?? server.HostUid : local.HostUid,
            Phase = phase,
            ActiveConnections = local.ActiveConnections,
            LastSeen = local.LastSeen > server.LastSeen ? local.LastSeen : server.LastSeen,
            BoundAt = host == server.Host ? server.BoundAt : local.BoundAt,
        };
        return (merged, !SameState(merged, server));
    }

    /// <summary>
    /// Whether <paramref name="current"/> still carries the decision made in <paramref name="decided"/>: the same host,
    /// pin and held host, and the same phase or, for a decision that holds a slot, any phase that holds it (another writer's
    /// session status on top of the decision does not undo it).
    /// </summary>
    public static bool SameDecision(RouteRecord current, RouteRecord decided)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(decided);
        return current.Host == decided.Host && current.Pinned == decided.Pinned && current.HeldHost == decided.HeldHost
            && (current.Phase == decided.Phase || (RouteLifecycle.HoldsSlot(current.Phase) && RouteLifecycle.HoldsSlot(decided.Phase)));
    }

    /// <summary>
    /// Whether a caller's write landed, judged on <paramref name="current"/>, the route the index holds once the write
    /// that settles it is done (that write may be another one than the caller's, and a conflict it met, or a newer
    /// object from the watch, may have dropped the caller's change for another writer's route): an update
    /// (<paramref name="decided"/>) landed while the route still carries its decision (<see cref="SameDecision"/>), a
    /// delete (<paramref name="decided"/> null) while the index holds no route. Else the caller reads again and decides
    /// again, as on a 409.
    /// </summary>
    public static bool Landed(RouteRecord? current, RouteRecord? decided) =>
        decided is null ? current is null : current is not null && SameDecision(current, decided);

    /// <summary>Whether two states of a route are equal apart from their versions.</summary>
    public static bool SameState(RouteRecord a, RouteRecord b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a with { Version = "" } == b with { Version = "" };
    }
}
