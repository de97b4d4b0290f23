using System.Net;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using k8s.Models;

namespace DesktopOperator.Gateway.Tests.Routing;

/// <summary>Small builders for pools, routes and requests.</summary>
internal static class TestPools
{
    public const string Key = "desktops/pool";
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static GatewayPool Pool(
        int hosts = 3,
        int sessionsPerHost = 10,
        string strategy = BalancingStrategyNames.LeastSessions,
        FullPoolAction whenFull = FullPoolAction.Reject,
        AffinityKey affinity = AffinityKey.User) =>
        Pool([.. Enumerable.Range(1, hosts).Select(i => new GatewayHost($"h{i}", $"10.0.0.{i}"))], sessionsPerHost, strategy, whenFull, affinity);

    public static GatewayPool Pool(
        IReadOnlyList<GatewayHost> hosts,
        int sessionsPerHost = 10,
        string strategy = BalancingStrategyNames.LeastSessions,
        FullPoolAction whenFull = FullPoolAction.Reject,
        AffinityKey affinity = AffinityKey.User) => new()
        {
            Key = Key,
            Protocols = [new GatewayProtocol("rdp", ProtocolKind.Rdp, 3389), new GatewayProtocol("ssh", ProtocolKind.Ssh, 22)],
            Hosts = hosts,
            SessionsPerHost = sessionsPerHost,
            Strategy = strategy,
            WhenFull = whenFull,
            AffinityKey = affinity,
        };

    public static RouteRequest Request(string? user = "alice", string client = "192.0.2.1", string? requestedHost = null, string protocol = "rdp") =>
        new(Key, protocol, user, IPAddress.Parse(client), requestedHost);

    public static RouteRecord Route(
        string key, string? host, SessionRoutePhase phase = SessionRoutePhase.Active, int connections = 1, bool pinned = false,
        AffinityKey kind = AffinityKey.User) =>
        new(Key, key, kind, "rdp", host, pinned, phase, T0, T0, connections);

    /// <summary>
    /// The gateway's record of a SessionRoute of this pool (Kubernetes mode, read through <see cref="SessionRouteMapper"/>):
    /// pinned to <paramref name="pin"/>, holding <paramref name="held"/> (<c>status.host</c>) with uid <paramref name="uid"/>.
    /// </summary>
    public static RouteRecord Mapped(string user, string? pin, string? held, SessionRoutePhase phase, string? uid = null) =>
        SessionRouteMapper.ToRecord(new SessionRoute
        {
            Metadata = new V1ObjectMeta { Name = user, NamespaceProperty = "desktops", ResourceVersion = "1", CreationTimestamp = T0.UtcDateTime },
            Spec = new SessionRouteSpec { Pool = "pool", User = user, Host = pin },
            Status = new SessionRouteStatus
            {
                Phase = phase,
                Host = held,
                HostUid = uid,
                BoundAt = T0,
                LastSeen = T0,
                ActiveConnections = phase == SessionRoutePhase.Active ? 1 : 0,
            },
        })!;

    /// <summary>n routes of distinct users on <paramref name="host"/>.</summary>
    public static IEnumerable<RouteRecord> OnHost(string host, int n, SessionRoutePhase phase = SessionRoutePhase.Active) =>
        Enumerable.Range(0, n).Select(i => Route($"{host}-user{i}", host, phase));
}
