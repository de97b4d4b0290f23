using System.Net;
using System.Text.Json;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Kubelet;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Controllers;

/// <summary>
/// Two <c>desktop-operator operator</c> replicas with leader election against the test API server: the leader is
/// killed (SIGKILL, no Lease release) while it creates a pool's hosts; the other takes the Lease over and finishes.
/// Asserts safety only (exactly N hosts, every one owned by the pool, none left over), never how fast.
/// </summary>
public sealed class LeaderFailoverTests : IDisposable
{
    private const int Hosts = 24;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly string _root = HostLogs.CreateDirectory("leader-failover");

    [Fact]
    public async Task LeaderKilledMidScale_OtherReplicaTakesOverAndFinishes_ExactlyNHostsAllOwnedNoOrphans()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        await using var kubelet = new SimulatedKubelet(cluster.TestServer.CreateClient(), new SimulatedKubeletOptions { GracePeriodScale = 0 });
        await kubelet.StartAsync();
        var admins = new[] { Admin(), Admin() };
        await using var first = OperatorProcess.StartReplica(cluster, _root, "operator-a", admins[0]);
        await using var second = OperatorProcess.StartReplica(cluster, _root, "operator-b", admins[1]);
        var replicas = new[] { first, second };
        var pool = await cluster.Client.CreateAsync(Pool(cluster.Namespace, "desk"), Ct);
        var leader = -1;
        await Eventually.TrueAsync(async () => (leader = await LeaderAsync(admins)) >= 0, () => $"one replica leads: {first.ReadOutput()}{second.ReadOutput()}", Ct, Bound);
        await Eventually.TrueAsync(async () => (await cluster.Client.GetAsync<DesktopPool>("desk", cluster.Namespace, Ct)).Status?.ObservedGeneration == 1, "the leader saw the empty pool", Ct, Bound);

        // Slow every request down so that creating the hosts takes a while, then scale 0 -> N.
        cluster.TestServer.Faults.Latency = TimeSpan.FromMilliseconds(150);
        var scale = "{\"spec\":{\"capacity\":{\"minHosts\":" + Hosts + "}}}";
        await cluster.Client.PatchAsync<DesktopPool>("desk", cluster.Namespace, new V1Patch(scale, V1Patch.PatchType.MergePatch), null, null, Ct);
        var before = 0;
        await Eventually.TrueAsync(async () => (before = (await PodsAsync(cluster)).Count) >= 1, "the leader starts creating hosts", Ct, Bound);
        await replicas[leader].KillAsync();
        var atKill = (await PodsAsync(cluster)).Count;
        cluster.TestServer.Faults.Latency = TimeSpan.Zero;
        Assert.True(atKill < Hosts, $"the leader was killed after it had created all {Hosts} hosts ({before} seen before the kill, {atKill} after); raise the latency or N");

        var survivor = replicas[1 - leader];
        var survivorAdmin = admins[1 - leader];
        await Eventually.TrueAsync(async () => await LeadsAsync(survivorAdmin), () => $"the other replica takes over: {survivor.ReadOutput()}", Ct, Bound);
        await Eventually.TrueAsync(
            async () => (await PodsAsync(cluster)) is { Count: Hosts } pods && pods.All(p => p.Status?.Conditions?.Any(c => c is { Type: "Ready", Status: "True" }) == true),
            "N ready hosts", Ct, Bound);
        await Eventually.TrueAsync(
            async () => (await cluster.Client.GetAsync<DesktopPool>("desk", cluster.Namespace, Ct)).Status is { ObservedGeneration: 2, TotalHosts: Hosts, ReadyHosts: Hosts },
            "the survivor's status shows N ready hosts", Ct, Bound);

        var all = await PodsAsync(cluster, labelled: false);
        Assert.Equal(Hosts, all.Count);
        Assert.Equal(Hosts, all.Select(p => p.Metadata.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, p =>
        {
            var owner = Assert.Single(p.Metadata.OwnerReferences);
            Assert.True(owner.Controller == true && owner.Uid == pool.Metadata.Uid && owner.Kind == DesktopPool.KindName, $"{p.Metadata.Name} is owned by {owner.Kind}/{owner.Name} ({owner.Uid})");
            Assert.Equal("desk", p.Metadata.Labels["desktop-operator.io/pool"]);
            Assert.Null(p.Metadata.DeletionTimestamp);
        });
        Assert.False(survivor.HasExited, survivor.ReadOutput());
    }

    public void Dispose() => HostLogs.Remove(_root);

    private static string Admin() => $"http://127.0.0.1:{LoopbackPorts.GetFreePort(IPAddress.Loopback)}";

    /// <summary>Every pod in the namespace (labelled false) or the pool's hosts.</summary>
    private static async Task<IReadOnlyList<V1Pod>> PodsAsync(KubeCluster cluster, bool labelled = true) =>
        [.. (await cluster.Client.ListAsync<V1Pod>(cluster.Namespace, labelled ? new ListOptions { LabelSelector = "desktop-operator.io/pool=desk" } : null, Ct)).Items];

    /// <summary>The index of the replica whose /metrics says it leads, or -1.</summary>
    private static async Task<int> LeaderAsync(string[] admins)
    {
        for (var i = 0; i < admins.Length; i++)
        {
            if (await LeadsAsync(admins[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static async Task<bool> LeadsAsync(string admin)
    {
        try
        {
            return (await Http.GetStringAsync($"{admin}/metrics")).Contains("operator_leader 1", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false; // Still starting.
        }
    }

    private static DesktopPool Pool(string ns, string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new DesktopPoolSpec
        {
            Template = new HostTemplate { Spec = JsonDocument.Parse("""{"containers":[{"name":"desktop","image":"example/vnc:1"}]}""").RootElement.Clone() },
            Protocols = [new ProtocolSpec { Name = "vnc", Kind = ProtocolKind.Vnc, Port = 5901, GatewayPort = 5900 }],
            Capacity = new CapacitySpec { MinHosts = 0, MaxHosts = Hosts + 6, BufferSessions = 0 },
        },
    };
}
