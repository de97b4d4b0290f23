using DesktopOperator.Api.V1Alpha1;
namespace DesktopOperator.Gateway.Model;

/// <summary>
/// One user session's durable binding to a host: the gateway's view of a SessionRoute (Kubernetes mode) or of a
/// route file (standalone mode). Immutable: a change is a new record passed to <see cref="Sessions.IRouteStore.UpdateAsync"/>.
/// Identity is (<see cref="Pool"/>, <see cref="Key"/>); <see cref="Version"/> says which state of it this is.
/// </summary>
/// <param name="Pool">The pool key, <c>namespace/name</c>.</param>
/// <param name="Key">The affinity key: the user, or the client address for <see cref="AffinityKey.SourceIP"/>.</param>
/// <param name="Host">The host name within the pool: the pin when <paramref name="Pinned"/>, else the host the route
/// holds; null while Pending without a pin.</param>
/// <param name="Pinned">The host was chosen by the user or an admin (<c>spec.host</c>), not by balancing.</param>
/// <param name="ActiveConnections">Connections open through all gateway replicas that report here.</param>
internal sealed record RouteRecord(
    string Pool,
    string Key,
    AffinityKey KeyKind,
    string Protocol,
    string? Host,
    bool Pinned,
    SessionRoutePhase Phase,
    DateTimeOffset BoundAt,
    DateTimeOffset LastSeen,
    int ActiveConnections)
{
    /// <summary>
    /// Which stored state of the route this is, set by the store on every write (like <c>resourceVersion</c>): opaque,
    /// only compared for equality. An update or delete passes the version it read and fails with
    /// <see cref="Sessions.RouteConflictException"/> when the route changed since. Empty on a record not stored yet.
    /// </summary>
    public string Version { get; init; } = "";

    /// <summary>
    /// The host the route holds (<c>status.host</c>) when its pin (<see cref="Host"/>, pinned) names another one it has
    /// not moved to yet; null when the route holds <see cref="Host"/>. Which of the two its connections go to is
    /// <see cref="Routing.RouteHosts.Resolve"/>'s to say (the pin once the route may move and the pin is usable).
    /// </summary>
    public string? HeldHost { get; init; }

    /// <summary>
    /// The uid of the pod the route holds (<see cref="HeldHost"/>, else <see cref="Host"/>), as recorded in
    /// <c>status.hostUid</c>; null when none is recorded (the host is then known by name only).
    /// </summary>
    public string? HostUid { get; init; }

    /// <summary>The host the route holds: <see cref="HeldHost"/>, else <see cref="Host"/> (<c>status.host</c>).</summary>
    public string? HeldOrHost => HeldHost ?? Host;
}
