using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Controllers;

/// <summary>
/// <c>desktop-operator operator --gateway-service</c> (a process) against the test API server: the Service's
/// <c>dp-</c> ports follow the pools as they come and go, a port it does not own is never touched, and a pool asking
/// for a port already in use gets a GatewayPortConflict condition and a Warning event.
/// </summary>
public sealed class GatewayServiceTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _root = HostLogs.CreateDirectory("gateway-service");

    [Fact]
    public async Task ServicePorts_FollowThePools_ForeignPortKept_TakenPortRefused()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        var ns = cluster.Namespace;
        await cluster.Client.CreateAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "gateway", NamespaceProperty = ns },
            Spec = new V1ServiceSpec { Selector = new Dictionary<string, string> { ["app"] = "gateway" }, Ports = [new V1ServicePort { Name = "http", Port = 8080, TargetPort = 8080 }] },
        }, Ct);
        await cluster.Client.CreateAsync(Pool(ns, "vnc", ProtocolKind.Vnc, 5900), Ct);
        await using var process = OperatorProcess.Start(cluster, _root, "--gateway-service", $"{ns}/gateway");

        await PortsAsync(cluster, process, "http=8080", "dp-vnc-vnc=5900");
        await cluster.Client.CreateAsync(Pool(ns, "rdp", ProtocolKind.Rdp, 3389), Ct);
        await PortsAsync(cluster, process, "http=8080", "dp-vnc-vnc=5900", "dp-rdp-rdp=3389");

        await cluster.Client.CreateAsync(Pool(ns, "clash", ProtocolKind.Tcp, 8080), Ct);
        await Eventually.TrueAsync(
            async () => (await cluster.Client.GetAsync<DesktopPool>("clash", ns, Ct)).Status?.Conditions?.Any(c =>
                c.Type == ConditionTypes.GatewayPorts && c.Status == "False" && c.Reason == ConditionReasons.GatewayPortConflict
                && c.Message == "spec.protocols[clash].gatewayPort: 8080 is already used by port 'http' of the Service") == true,
            () => $"the clashing pool's GatewayPorts condition: {process.ReadOutput()}", Ct, Wait);
        await Eventually.TrueAsync(
            async () => (await cluster.Client.ListAsync<Corev1Event>(ns, new DesktopOperator.Kube.Client.ListOptions { FieldSelector = "involvedObject.name=clash" }, Ct)).Items
                .Any(e => e.Type == "Warning" && e.Reason == ConditionReasons.GatewayPortConflict),
            "a Warning event on the clashing pool", Ct, Wait);

        await cluster.Client.DeleteAsync<DesktopPool>("vnc", ns, null, Ct);
        await PortsAsync(cluster, process, "http=8080", "dp-rdp-rdp=3389");
        var vnc = await cluster.Client.GetAsync<DesktopPool>("rdp", ns, Ct);
        Assert.Contains(vnc.Status!.Conditions!, c => c.Type == ConditionTypes.GatewayPorts && c.Status == "True");
    }

    public void Dispose() => HostLogs.Remove(_root);

    private static async Task PortsAsync(KubeCluster cluster, ChildProcess process, params string[] expected)
    {
        string[] last = [];
        await Eventually.TrueAsync(
            async () =>
            {
                var service = await cluster.Client.GetAsync<V1Service>("gateway", cluster.Namespace, Ct);
                last = [.. service.Spec.Ports.Select(p => $"{p.Name}={p.Port}")];
                return last.SequenceEqual(expected);
            },
            $"Service ports {string.Join(", ", expected)} (last: {string.Join(", ", last)}): {process.ReadOutput()}", Ct, Wait);
    }

    private static DesktopPool Pool(string ns, string name, ProtocolKind kind, int gatewayPort) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new DesktopPoolSpec
        {
            StaticHosts = [new StaticHost { Name = "h1", Address = "127.0.0.1" }],
            Protocols = [new ProtocolSpec { Name = name, Kind = kind, Port = 1234, GatewayPort = gatewayPort }],
        },
    };
}
