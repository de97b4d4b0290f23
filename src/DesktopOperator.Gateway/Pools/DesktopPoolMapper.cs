using DesktopOperator.Api.Durations;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Vnc;

namespace DesktopOperator.Gateway.Pools;

/// <summary>
/// Pure translation of a validated DesktopPool into what the routing engine, the health monitor and the TCP
/// listeners take. Hosts come from the caller: static hosts in standalone mode, pods in Kubernetes mode.
/// Every enum mapping names each API value and throws for any other, so a value added to the API cannot fall
/// through to a default silently (a test enumerates them all).
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
            Protocols = spec.Protocols.Select(p => new GatewayProtocol(p.Name, p.Kind, p.Port)).ToList(),
            Hosts = hosts,
            SessionsPerHost = spec.Capacity.SessionsPerHost,
            Strategy = StrategyName(spec.Balancing.Strategy),
            AffinityKey = spec.Affinity.Key,
            ResumeFor = Duration.Parse(spec.Affinity.ResumeFor),
            WhenFull = spec.Sessions.WhenFull,
            CanGrow = spec.Template is not null && hosts.Count < spec.Capacity.MaxHosts,
            Access = PoolAccess.Of(spec.Access),
        };
    }

    /// <summary>The checked protocol is <c>spec.healthCheck.protocol</c>, else the first one.</summary>
    public static IEnumerable<HealthTarget> HealthTargets(DesktopPool pool, IReadOnlyList<GatewayHost> hosts)
    {
        var check = pool.Spec.HealthCheck;
        var protocol = pool.Spec.Protocols.FirstOrDefault(p => p.Name == check.Protocol) ?? pool.Spec.Protocols[0];
        var kind = ProbeOf(check.Kind, protocol.Kind);
        var settings = new HealthCheckSettings
        {
            // Validation requires healthCheck.vnc for a VNC protocol check; should one slip through, connect and reset.
            Kind = kind == ProbeKind.Vnc && check.Vnc is null ? ProbeKind.Tcp : kind,
            VncSecurity = check.Vnc is { } vnc ? ToCheckSecurity(vnc.Security) : VncCheckSecurity.VncAuth,
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
            if (protocol.Kind == ProtocolKind.Http || protocol.GatewayPort is not { } port)
            {
                continue;
            }

            var settings = new TcpProxyListenerSettings(key, protocol.Name, ToTcpKind(protocol.Kind), protocol.ProxyProtocol == ProxyProtocolMode.V2)
            {
                ClientLockout = protocol.Kind == ProtocolKind.Vnc ? ToClientLockout(protocol.ClientLockout ?? new()) : null,
            };
            yield return new TcpListenerPlan($"{key}/{protocol.Name}", port, settings, idle);
        }
    }

    /// <summary>The pool's Http protocols as the HTTP proxy serves them.</summary>
    public static IEnumerable<HttpRoutePlan> HttpRoutes(DesktopPool pool)
    {
        var key = KeyOf(pool);
        var affinity = pool.Spec.Affinity;
        TimeSpan? idle = pool.Spec.Sessions.IdleTimeout is { } text ? Duration.Parse(text) : null;
        foreach (var protocol in pool.Spec.Protocols.Where(p => p.Kind == ProtocolKind.Http))
        {
            yield return new HttpRoutePlan(
                key, protocol.Name, HttpRoutePlan.NormalizePrefix(protocol.Path), protocol.Hostname, protocol.Port,
                affinity.UserHeader, affinity.UserCookie ?? HttpRoutePlan.DefaultCookieName, idle);
        }
    }

    private static VncClientLockoutSettings? ToClientLockout(ClientLockoutSpec spec) =>
        spec.MaxFailures == 0 ? null : new(spec.MaxFailures, Duration.Parse(spec.Window), Duration.Parse(spec.Backoff));

    /// <summary>The balancing policy's name (<see cref="BalancingStrategyNames"/>) for a strategy.</summary>
    public static string StrategyName(BalancingStrategy strategy) => strategy switch
    {
        BalancingStrategy.LeastSessions => BalancingStrategyNames.LeastSessions,
        BalancingStrategy.RoundRobin => BalancingStrategyNames.RoundRobin,
        BalancingStrategy.Random => BalancingStrategyNames.Random,
        BalancingStrategy.SourceHash => BalancingStrategyNames.SourceHash,
        _ => throw Unknown("spec.balancing.strategy", strategy),
    };

    /// <summary>The probe a pool's check runs: <c>Protocol</c> speaks the checked protocol's greeting.</summary>
    public static ProbeKind ProbeOf(HealthCheckKind check, ProtocolKind protocol) => check switch
    {
        HealthCheckKind.Tcp => ProbeKind.Tcp,
        HealthCheckKind.Http => ProbeKind.Http,
        HealthCheckKind.Protocol => protocol switch
        {
            ProtocolKind.Rdp => ProbeKind.Rdp,
            ProtocolKind.Vnc => ProbeKind.Vnc,
            ProtocolKind.Ssh => ProbeKind.Ssh,
            ProtocolKind.Http => ProbeKind.Http,
            ProtocolKind.Tcp => ProbeKind.Tcp,
            _ => throw Unknown("spec.protocols[].kind", protocol),
        },
        _ => throw Unknown("spec.healthCheck.kind", check),
    };

    public static VncCheckSecurity ToCheckSecurity(VncSecurity security) => security switch
    {
        VncSecurity.None => VncCheckSecurity.None,
        VncSecurity.VncAuth => VncCheckSecurity.VncAuth,
        _ => throw Unknown("spec.healthCheck.vnc.security", security),
    };

    /// <summary>How the TCP proxy treats a protocol; Http is served by the HTTP proxy and has no TCP listener.</summary>
    public static TcpProtocolKind ToTcpKind(ProtocolKind kind) => kind switch
    {
        ProtocolKind.Rdp => TcpProtocolKind.Rdp,
        ProtocolKind.Vnc => TcpProtocolKind.Vnc,
        ProtocolKind.Ssh => TcpProtocolKind.Ssh,
        ProtocolKind.Tcp => TcpProtocolKind.Tcp,
        ProtocolKind.Http => throw new ArgumentException("spec.protocols[].kind: Http is served by the HTTP proxy, not a TCP listener", nameof(kind)),
        _ => throw Unknown("spec.protocols[].kind", kind),
    };

    private static ArgumentOutOfRangeException Unknown<T>(string field, T value)
        where T : struct, Enum =>
        new(field, value, $"{field}: '{value}' is not a value this gateway knows ({string.Join(", ", Enum.GetNames<T>())})");
}
