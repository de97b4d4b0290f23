using System.Net;
using DesktopOperator.Api.Validation;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Testing.Proxies;
using YamlDotNet.RepresentationModel;

namespace DesktopOperator.EndToEndTests.Proxies;

public sealed class ProxyConfigurationTests
{
    private static readonly ProxySetup Setup = new(
        IPAddress.Loopback,
        [new ProxyBackend("host-a", new IPEndPoint(IPAddress.Parse("127.0.0.21"), 5901)), new ProxyBackend("host-b", new IPEndPoint(IPAddress.Parse("127.0.0.22"), 5901))],
        ProxyBalancing.SourceHash)
    { ProtocolKind = "Vnc" };

    [Fact]
    public void HaproxyConfig_SourceHash_TcpModeWithEveryBackendAndLoopbackBind()
    {
        var config = HaproxyProxy.Config(Setup, new IPEndPoint(IPAddress.Loopback, 15900));

        Assert.Contains("  mode tcp\n", config, StringComparison.Ordinal);
        Assert.Contains("  balance source\n", config, StringComparison.Ordinal);
        Assert.Contains("  bind 127.0.0.1:15900 backlog 4096\n", config, StringComparison.Ordinal);
        Assert.Contains("  server host-a 127.0.0.21:5901\n", config, StringComparison.Ordinal);
        Assert.Contains("  server host-b 127.0.0.22:5901\n", config, StringComparison.Ordinal);
    }

    [Fact]
    public void HaproxyConfig_RdpUser_HashesCookieAfterWaitingForIt()
    {
        var config = HaproxyProxy.Config(Setup with { Balancing = ProxyBalancing.RdpUser }, new IPEndPoint(IPAddress.Loopback, 13389));

        Assert.Contains("  balance rdp-cookie\n", config, StringComparison.Ordinal);
        Assert.Contains("  tcp-request content accept if RDP_COOKIE\n", config, StringComparison.Ordinal);
    }

    [Fact]
    public void GatewayManifest_SourceHash_IsDesktopPoolYamlWithStaticHostsAndGatewayPort()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(GatewayManifests.DesktopPool("bench", Setup, 15900)));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var spec = (YamlMappingNode)root["spec"];
        var hosts = (YamlSequenceNode)spec["staticHosts"];
        var protocol = (YamlMappingNode)((YamlSequenceNode)spec["protocols"])[0];

        Assert.Equal("desktop-operator.io/v1alpha1", root["apiVersion"].ToString());
        Assert.Equal("DesktopPool", root["kind"].ToString());
        Assert.Equal(["127.0.0.21", "127.0.0.22"], hosts.Select(h => ((YamlMappingNode)h)["address"].ToString()));
        Assert.Equal("Vnc", protocol["kind"].ToString());
        Assert.Equal("5901", protocol["port"].ToString());
        Assert.Equal("15900", protocol["gatewayPort"].ToString());
        Assert.Equal("SourceHash", ((YamlMappingNode)spec["balancing"])["strategy"].ToString());
    }

    [Fact]
    public void Catalog_KnownNames_CreatesEachKindWithItsName()
    {
        Assert.IsType<HaproxyProxy>(ProxyCatalog.Create("haproxy-b"));
        Assert.IsType<SocatProxy>(ProxyCatalog.Create("socat"));
        Assert.Equal("gateway", ProxyCatalog.Create("gateway").Name);
        Assert.Throws<ArgumentException>(() => ProxyCatalog.Create("nginx"));
    }

    public static TheoryData<ProxyBalancing, string> EveryBalancingAndKind()
    {
        var data = new TheoryData<ProxyBalancing, string>();
        foreach (var balancing in Enum.GetValues<ProxyBalancing>())
        {
            foreach (var kind in balancing == ProxyBalancing.RdpUser ? ["Rdp"] : new[] { "Tcp", "Vnc", "Ssh", "Rdp" })
            {
                data.Add(balancing, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryBalancingAndKind))]
    public void GatewayManifest_EveryBalancing_PassesTheStandaloneLoaderAndValidator(ProxyBalancing balancing, string kind)
    {
        var path = Path.Combine(Path.GetTempPath(), $"gateway-manifest-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, GatewayManifests.DesktopPool("bench", Setup with { Balancing = balancing, ProtocolKind = kind }, 15900));
        try
        {
            var loaded = StandalonePoolLoader.Load(path);

            Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
            var pool = Assert.Single(loaded.Resources);
            Assert.Empty(DesktopPoolValidator.Validate(pool));
            Assert.Equal(kind, pool.Spec!.Protocols![0].Kind.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
