using DesktopOperator.Api.Durations;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Vnc;
using ApiHealthCheckKind = DesktopOperator.Api.V1Alpha1.HealthCheckKind;
using ApiProtocolKind = DesktopOperator.Api.V1Alpha1.ProtocolKind;
using HealthCheckKind = DesktopOperator.Gateway.Health.HealthCheckKind;
using ProtocolKind = DesktopOperator.Gateway.Routing.ProtocolKind;

namespace DesktopOperator.Gateway.Pools;

/// <summary>
/// Pure translation of a validated DesktopPool into what the routing engine, the health monitor and the TCP
/// listeners take. Hosts come from the caller: static hosts in standalone mode, pods in Kubernetes mode.
/// </summary>
internal static class DesktopPoolMapper
{
    public static string KeyOf(DesktopPool pool) => $"{pool.Metadata.NamespaceProperty}/{pool.Metadata.Name}";

    public static IReadOnlyList<GatewayHost> StaticHosts(DesktopPool pool) =>
        pool.Spec.StaticHosts?.Select(h => new GatewayHost(h.Name, h.Address, h.Weight)).ToList() ?? [];

    /// <remarks>
    /// <c>spec.sessions.maxPerUser</c> is not mapped to the engine's per-user connection limit: a pool holds one route
    /// (one session) per user by construction, and limiting connections would refuse a user who reconnects while
    /// the old connection is still half-open, or opens a second SSH channel.
    /// </remarks>
    public static GatewayPool ToGatewayPool(DesktopPool pool, IReadOnlyList<GatewayHost> hosts)
    {
        var spec = pool.Spec;
        return new GatewayPool
        {
            Key = KeyOf(pool),
            Protocols = spec.Protocols.Select(p => new GatewayProtocol(p.Name, ToRoutingKind(p.Kind), p.Port)).ToList(),
            Hosts = hosts,
            SessionsPerHost = spec.Capacity.SessionsPerHost,
            Strategy = spec.Balancing.Strategy.ToString(),
            AffinityKey = spec.Affinity.Key == AffinityKey.SourceIP ? AffinityKeyKind.SourceIP : AffinityKeyKind.User,
            ResumeFor = Duration.Parse(spec.Affinity.ResumeFor),
            WhenFull = spec.Sessions.WhenFull == FullPoolAction.Reject ? WhenFull.Reject : WhenFull.Queue,
            AllowedUsers = spec.Access.Users?.ToList() ?? [],
            AllowedGroups = spec.Access.Groups?.ToList() ?? [],
        };
    }

    /// <summary>The checked protocol is <c>spec.healthCheck.protocol</c>, else the first one.</summary>
    public static IEnumerable<HealthTarget> HealthTargets(DesktopPool pool, IReadOnlyList<GatewayHost> hosts)
    {
        var check = pool.Spec.HealthCheck;
        var protocol = pool.Spec.Protocols.FirstOrDefault(p => p.Name == check.Protocol) ?? pool.Spec.Protocols[0];
        var kind = check.Kind switch
        {
            ApiHealthCheckKind.Http => HealthCheckKind.Http,
            ApiHealthCheckKind.Protocol => ProtocolCheck(protocol.Kind),
            _ => HealthCheckKind.Tcp,
        };
        var settings = new HealthCheckSettings
        {
            // Validation requires healthCheck.vnc for a VNC protocol check; should one slip through, connect and reset.
            Kind = kind == HealthCheckKind.Vnc && check.Vnc is null ? HealthCheckKind.Tcp : kind,
            VncSecurity = check.Vnc?.Security == VncSecurity.None ? VncCheckSecurity.None : VncCheckSecurity.VncAuth,
            VncPasswordFile = check.Vnc?.PasswordFile,
            HttpPath = check.Path,
            Interval = Duration.Parse(check.Interval),
            Timeout = Duration.Parse(check.Timeout),
            Rise = check.Rise,
            Fall = check.Fall,
        };
        var key = KeyOf(pool);
        return hosts.Select(h => new HealthTarget(key, h.Name, h.Address, protocol.Port, settings));
    }

    public static IEnumerable<TcpListenerPlan> Listeners(DesktopPool pool)
    {
        var key = KeyOf(pool);
        TimeSpan? idle = pool.Spec.Sessions.IdleTimeout is { } text ? Duration.Parse(text) : null;
        foreach (var protocol in pool.Spec.Protocols)
        {
            if (protocol.Kind == ApiProtocolKind.Http || protocol.GatewayPort is not { } port)
            {
                continue;
            }

            var settings = new TcpProxyListenerSettings(key, protocol.Name, ToTcpKind(protocol.Kind), protocol.ProxyProtocol == ProxyProtocolMode.V2)
            {
                ClientLockout = protocol.Kind == ApiProtocolKind.Vnc ? ToClientLockout(protocol.ClientLockout ?? new()) : null,
            };
            yield return new TcpListenerPlan($"{key}/{protocol.Name}", port, settings, idle);
        }
    }

    private static VncClientLockoutSettings? ToClientLockout(ClientLockoutSpec spec) =>
        spec.MaxFailures == 0 ? null : new(spec.MaxFailures, Duration.Parse(spec.Window), Duration.Parse(spec.Backoff));

    private static HealthCheckKind ProtocolCheck(ApiProtocolKind kind) => kind switch
    {
        ApiProtocolKind.Rdp => HealthCheckKind.Rdp,
        ApiProtocolKind.Vnc => HealthCheckKind.Vnc,
        ApiProtocolKind.Ssh => HealthCheckKind.Ssh,
        ApiProtocolKind.Http => HealthCheckKind.Http,
        _ => HealthCheckKind.Tcp,
    };

    private static ProtocolKind ToRoutingKind(ApiProtocolKind kind) => kind switch
    {
        ApiProtocolKind.Rdp => ProtocolKind.Rdp,
        ApiProtocolKind.Vnc => ProtocolKind.Vnc,
        ApiProtocolKind.Ssh => ProtocolKind.Ssh,
        ApiProtocolKind.Http => ProtocolKind.Http,
        _ => ProtocolKind.Tcp,
    };

    private static TcpProtocolKind ToTcpKind(ApiProtocolKind kind) => kind switch
    {
        ApiProtocolKind.Rdp => TcpProtocolKind.Rdp,
        ApiProtocolKind.Vnc => TcpProtocolKind.Vnc,
        ApiProtocolKind.Ssh => TcpProtocolKind.Ssh,
        _ => TcpProtocolKind.Tcp,
    };
}
