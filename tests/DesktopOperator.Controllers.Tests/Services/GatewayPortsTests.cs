using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Controllers.Services;
using k8s.Models;

namespace DesktopOperator.Controllers.Tests.Services;

public sealed class GatewayPortsTests
{
    private static readonly DateTime Created = new(2026, 12, 5, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Plan_KeepsForeignPorts_AddsOursOldestPoolFirst_RefusesTakenPorts()
    {
        V1ServicePort[] current = [new() { Name = "http", Port = 8080 }, new() { Name = "dp-gone-rdp", Port = 3390 }];
        DesktopPool[] pools = [Pool("late", Created.AddMinutes(1), ("vnc", 5900)), Pool("early", Created, ("vnc", 5900), ("rdp", 3389)), Pool("web", Created, ("x", 8080))];

        var plan = GatewayPorts.Plan(current, pools);

        Assert.Equal(["http=8080", "dp-early-vnc=5900", "dp-early-rdp=3389"], plan.Ports.Select(p => $"{p.Name}={p.Port}"));
        Assert.True(plan.Changed);
        Assert.Equal("spec.protocols[vnc].gatewayPort: 5900 is already used by pool 'ns/early'", plan.Conflicts["ns/late"]);
        Assert.Equal("spec.protocols[x].gatewayPort: 8080 is already used by port 'http' of the Service", plan.Conflicts["ns/web"]);
        Assert.False(GatewayPorts.Plan(plan.Ports, pools).Changed);
    }

    [Fact]
    public void NameOf_LongNames_CutToADnsLabelWithStableHash()
    {
        var name = GatewayPorts.NameOf(new string('p', 70), "rdp");

        Assert.True(name.Length <= 63, name);
        Assert.StartsWith("dp-", name, StringComparison.Ordinal);
        Assert.Equal(name, GatewayPorts.NameOf(new string('p', 70), "rdp"));
        Assert.NotEqual(name, GatewayPorts.NameOf(new string('p', 70), "vnc"));
    }

    private static DesktopPool Pool(string name, DateTime created, params (string Protocol, int Port)[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", CreationTimestamp = created },
        Spec = new DesktopPoolSpec
        {
            Protocols = [.. ports.Select(p => new ProtocolSpec { Name = p.Protocol, Kind = ProtocolKind.Tcp, Port = 1, GatewayPort = p.Port })],
        },
    };
}
