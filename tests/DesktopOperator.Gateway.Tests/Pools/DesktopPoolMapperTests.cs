using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Pools;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Vnc;

namespace DesktopOperator.Gateway.Tests.Pools;

public sealed class DesktopPoolMapperTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pools-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ToGatewayPool_StaticVncPool_CarriesEveryRoutingSetting()
    {
        var pool = Load(PoolManifests.Vnc());

        var mapped = DesktopPoolMapper.ToGatewayPool(pool, DesktopPoolMapper.StaticHosts(pool));

        Assert.Equal("default/vnc", mapped.Key);
        Assert.Equal([new GatewayHost("host-a", "127.0.0.11"), new GatewayHost("host-b", "127.0.0.12", Weight: 3)], mapped.Hosts);
        Assert.Equal([new GatewayProtocol("vnc", ProtocolKind.Vnc, 5901)], mapped.Protocols);
        Assert.Equal(AffinityKey.SourceIP, mapped.AffinityKey);
        Assert.Equal(TimeSpan.FromHours(2), mapped.ResumeFor);
        Assert.Equal("LeastSessions", mapped.Strategy);
        Assert.Equal(FullPoolAction.Queue, mapped.WhenFull);
        Assert.Equal(1, mapped.SessionsPerHost);
        Assert.Equal(0, mapped.MaxSessionsPerUser);
        Assert.False(mapped.CanGrow);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void ToGatewayPool_TemplatePool_CanGrowBelowMaxHosts(int pods, bool canGrow)
    {
        var pool = Load(PoolManifests.Vnc());
        pool.Spec.StaticHosts = null;
        pool.Spec.Template = new HostTemplate();
        pool.Spec.Capacity.MaxHosts = 2;
        var hosts = Enumerable.Range(0, pods).Select(i => new GatewayHost($"vnc-{i}", $"10.0.0.{i + 1}", Ready: false)).ToList();

        Assert.Equal(canGrow, DesktopPoolMapper.ToGatewayPool(pool, hosts).CanGrow);
    }

    [Fact]
    public void HealthTargets_ProtocolCheck_ProbesTheProtocolOfEachHost()
    {
        var pool = Load(PoolManifests.Vnc());

        var targets = DesktopPoolMapper.HealthTargets(pool, DesktopPoolMapper.StaticHosts(pool)).ToList();

        Assert.Equal(["host-a", "host-b"], targets.Select(t => t.Host));
        Assert.All(targets, t => Assert.Equal(("default/vnc", 5901, ProbeKind.Vnc, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), 2, 3),
            (t.Pool, t.Port, t.Settings.Kind, t.Settings.Interval, t.Settings.Timeout, t.Settings.Rise, t.Settings.Fall)));
        Assert.All(targets, t => Assert.Equal((VncCheckSecurity.VncAuth, "/etc/vnc/passwd"), (t.Settings.VncSecurity, t.Settings.VncPasswordFile)));
        Assert.All(targets, t => t.Settings.Validate());
    }

    [Fact]
    public void HealthTargets_TcpCheckOfVncPool_StaysTcp()
    {
        var pool = Load(PoolManifests.Vnc().Replace("kind: Protocol", "kind: Tcp", StringComparison.Ordinal));

        var targets = DesktopPoolMapper.HealthTargets(pool, DesktopPoolMapper.StaticHosts(pool)).ToList();

        Assert.All(targets, t => Assert.Equal(ProbeKind.Tcp, t.Settings.Kind));
    }

    [Fact]
    public void Listeners_VncWithoutClientLockout_GetsTheDefaultBelowTigerVncsThreshold()
    {
        var pool = Load(PoolManifests.Vnc());

        var plan = Assert.Single(DesktopPoolMapper.Listeners(pool));

        Assert.Equal(new VncClientLockoutSettings(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)), plan.Settings.ClientLockout);
        Assert.Equal(VncClientLockoutSettings.Default, plan.Settings.ClientLockout);
    }

    [Theory]
    [InlineData("maxFailures: 5\n        window: 30s\n        backoff: 5m", 5, 30, 300)]
    [InlineData("maxFailures: 0", 0, 0, 0)]
    public void Listeners_VncClientLockout_Mapped(string lockout, int failures, int windowSeconds, int backoffSeconds)
    {
        var manifest = PoolManifests.Vnc().Replace("      gatewayPort: 5900\n", $"      gatewayPort: 5900\n      clientLockout:\n        {lockout}\n", StringComparison.Ordinal);
        Assert.Contains("clientLockout", manifest, StringComparison.Ordinal);
        var pool = Load(manifest);

        var plan = Assert.Single(DesktopPoolMapper.Listeners(pool));

        var expected = failures == 0 ? null : new VncClientLockoutSettings(failures, TimeSpan.FromSeconds(windowSeconds), TimeSpan.FromSeconds(backoffSeconds));
        Assert.Equal(expected, plan.Settings.ClientLockout);
    }

    [Fact]
    public void Listeners_TcpKindsGetAPortAndHttpDoesNot()
    {
        var pool = Load(PoolManifests.Vnc(extra: """
              sessions:
                idleTimeout: 30m
            """).Replace("""
                  gatewayPort: 5900
            """, """
                  gatewayPort: 5900
                  proxyProtocol: V2
                - name: web
                  kind: Http
                  port: 6080
                  path: /vnc/
            """, StringComparison.Ordinal));

        var listener = Assert.Single(DesktopPoolMapper.Listeners(pool));

        Assert.Equal(new TcpListenerPlan("default/vnc/vnc", 5900, new TcpProxyListenerSettings("default/vnc", "vnc", TcpProtocolKind.Vnc, SendProxyProtocol: true) { ClientLockout = VncClientLockoutSettings.Default }, TimeSpan.FromMinutes(30)), listener);
    }

    [Fact]
    public void Plan_PortClaimedTwice_FirstPoolKeepsItAndTheOtherIsReported()
    {
        var first = Load(PoolManifests.Vnc("first"));
        var second = Load(PoolManifests.Vnc("second"));

        var plan = GatewayPlanner.Plan([first, second], DesktopPoolMapper.StaticHosts);

        Assert.Equal(["default/first", "default/second"], plan.Pools.Select(p => p.Key));
        Assert.Equal("default/first/vnc", Assert.Single(plan.Listeners).Name);
        Assert.Equal("default/second: spec.protocols[vnc].gatewayPort: port 5900 is already used by default/first/vnc", Assert.Single(plan.Errors));
        Assert.Equal(4, plan.HealthTargets.Count);
    }

    [Fact]
    public void Plan_PoolDefinedTwice_FirstDefinitionWins()
    {
        var plan = GatewayPlanner.Plan([Load(PoolManifests.Vnc()), Load(PoolManifests.Vnc(gatewayPort: 5999))], DesktopPoolMapper.StaticHosts);

        Assert.Equal(5900, Assert.Single(plan.Listeners).Port);
        Assert.Contains("defined twice", Assert.Single(plan.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void EnumMappings_EveryApiValue_MapsToItsOwnCounterpart()
    {
        // Every value the API defines goes through every mapping: a value added to the API fails here, not at run time.
        Assert.Equal(Enum.GetNames<BalancingStrategy>(), Enum.GetValues<BalancingStrategy>().Select(DesktopPoolMapper.StrategyName));
        Assert.All(Enum.GetValues<BalancingStrategy>(), s => Assert.Equal(DesktopPoolMapper.StrategyName(s), LoadBalancingPolicies.Get(DesktopPoolMapper.StrategyName(s)).Name));
        Assert.Equal(Enum.GetNames<VncSecurity>(), Enum.GetValues<VncSecurity>().Select(s => DesktopPoolMapper.ToCheckSecurity(s).ToString()));
        Assert.All(Enum.GetValues<ProtocolKind>(), kind =>
        {
            Assert.Equal(ProbeKind.Tcp, DesktopPoolMapper.ProbeOf(HealthCheckKind.Tcp, kind));
            Assert.Equal(ProbeKind.Http, DesktopPoolMapper.ProbeOf(HealthCheckKind.Http, kind));
            Assert.Equal(kind.ToString(), DesktopPoolMapper.ProbeOf(HealthCheckKind.Protocol, kind).ToString());
            if (kind == ProtocolKind.Http)
            {
                Assert.Throws<ArgumentException>(() => DesktopPoolMapper.ToTcpKind(kind));
            }
            else
            {
                Assert.Equal(kind.ToString(), DesktopPoolMapper.ToTcpKind(kind).ToString());
            }
        });
        Assert.Equal(3, Enum.GetValues<HealthCheckKind>().Length);
    }

    [Fact]
    public void EnumMappings_UnknownValue_ThrowsNamingTheField()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DesktopPoolMapper.StrategyName((BalancingStrategy)42));
        Assert.StartsWith("spec.balancing.strategy: '42' is not a value this gateway knows (LeastSessions, RoundRobin, Random, SourceHash)", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => DesktopPoolMapper.ProbeOf((HealthCheckKind)42, ProtocolKind.Tcp));
        Assert.Throws<ArgumentOutOfRangeException>(() => DesktopPoolMapper.ProbeOf(HealthCheckKind.Protocol, (ProtocolKind)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => DesktopPoolMapper.ToCheckSecurity((VncSecurity)42));
        Assert.Throws<ArgumentOutOfRangeException>(() => DesktopPoolMapper.ToTcpKind((ProtocolKind)42));
    }

    private DesktopPool Load(string manifest)
    {
        var result = StandalonePoolLoader.Load(PoolManifests.Write(_folder, Guid.NewGuid().ToString("N") + ".yaml", manifest));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return Assert.Single(result.Resources);
    }
}
