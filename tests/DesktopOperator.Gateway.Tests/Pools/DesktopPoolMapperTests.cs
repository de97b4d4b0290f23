using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Pools;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Gateway.Tcp;
using HealthCheckKind = DesktopOperator.Gateway.Health.HealthCheckKind;
using ProtocolKind = DesktopOperator.Gateway.Routing.ProtocolKind;

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
        Assert.Equal(AffinityKeyKind.SourceIP, mapped.AffinityKey);
        Assert.Equal(TimeSpan.FromHours(2), mapped.ResumeFor);
        Assert.Equal("LeastSessions", mapped.Strategy);
        Assert.Equal(WhenFull.Queue, mapped.WhenFull);
        Assert.Equal(1, mapped.SessionsPerHost);
        Assert.Equal(0, mapped.MaxSessionsPerUser);
    }

    [Fact]
    public void HealthTargets_ProtocolCheck_ProbesTheProtocolOfEachHost()
    {
        var pool = Load(PoolManifests.Vnc());

        var targets = DesktopPoolMapper.HealthTargets(pool, DesktopPoolMapper.StaticHosts(pool)).ToList();

        Assert.Equal(["host-a", "host-b"], targets.Select(t => t.Host));
        Assert.All(targets, t => Assert.Equal(("default/vnc", 5901, HealthCheckKind.Vnc, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), 2, 3),
            (t.Pool, t.Port, t.Settings.Kind, t.Settings.Interval, t.Settings.Timeout, t.Settings.Rise, t.Settings.Fall)));
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

        Assert.Equal(new TcpListenerPlan("default/vnc/vnc", 5900, new TcpProxyListenerSettings("default/vnc", "vnc", TcpProtocolKind.Vnc, SendProxyProtocol: true), TimeSpan.FromMinutes(30)), listener);
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

    private DesktopPool Load(string manifest)
    {
        var result = StandalonePoolLoader.Load(PoolManifests.Write(_folder, Guid.NewGuid().ToString("N") + ".yaml", manifest));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return Assert.Single(result.Resources);
    }
}
