using System.Net;
using System.Text.Json;
using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>
/// <c>desktop-operator gateway</c> as a process against the test API server: it opens the pools' gateway ports,
/// routes to static hosts and to the Ready pods of template pools (never to a pod that is not Ready, nor a new user
/// to a draining one), follows pods and pools as they come and go, and is ready only once its caches have synced.
/// Hosts are loopback listeners that greet with their name; users are distinct client source addresses.
/// </summary>
public sealed class GatewayProcessTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _root = HostLogs.CreateDirectory("gateway-process");
    private int _nextUser;

    [Fact]
    public async Task Gateway_StaticHostPool_PortOpensReachesTheHostAndClosesWhenThePoolIsDeleted()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        await using var hosts = NameHosts.Start(("static-a", 31));
        var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        await cluster.Client.CreateAsync(StaticPool(cluster.Namespace, "statics", hosts.Port, port, ("static-a", "127.0.0.31")), Ct);
        await using var gateway = GatewayProcess.Start(cluster, _root);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);

        await Eventually.TrueAsync(async () => await gateway.StatusOfAsync("/readyz") == HttpStatusCode.OK, () => $"/readyz answers 200: {gateway.Process.ReadOutput()}", Ct, Wait);
        await AssertGreetsAsync("static-a", endpoint, NextUser(), gateway);

        await cluster.Client.DeleteAsync<DesktopPool>("statics", cluster.Namespace, null, Ct);

        await Eventually.TrueAsync(async () => !await PortProbe.IsOpenAsync(endpoint, Ct), () => $"the pool's port closes: {gateway.Process.ReadOutput()}", Ct, Wait);
        Assert.False(gateway.Process.HasExited, gateway.Process.ReadOutput());
    }

    [Fact]
    public async Task Gateway_TemplatePool_NewUsersOnlyOnReadyNotDrainingPodsExistingUsersStayUntilTheirPodIsGone()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        await using var hosts = NameHosts.Start(("pod-a", 21), ("pod-b", 22), ("pod-c", 23));
        var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        var pool = await cluster.Client.CreateAsync(TemplatePool(cluster.Namespace, "desk", hosts.Port, port), Ct);
        await CreatePodAsync(cluster, pool, "pod-a", "127.0.0.21", ready: true);
        await CreatePodAsync(cluster, pool, "pod-b", "127.0.0.22", ready: false);
        await CreatePodAsync(cluster, pool, "pod-c", "127.0.0.23", ready: true, draining: "Outdated");
        await using var gateway = GatewayProcess.Start(cluster, _root);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        await Eventually.TrueAsync(async () => await gateway.StatusOfAsync("/readyz") == HttpStatusCode.OK, () => $"/readyz answers 200: {gateway.Process.ReadOutput()}", Ct, Wait);

        // Only pod-a is Ready and not draining: every new user lands there.
        var alice = NextUser();
        await AssertGreetsAsync("pod-a", endpoint, alice, gateway);
        for (var i = 0; i < 8; i++)
        {
            await AssertGreetsAsync("pod-a", endpoint, NextUser(), gateway);
        }

        // pod-a drains, pod-b turns Ready: new users go to pod-b, alice keeps her host.
        await PatchAsync(cluster, "pod-a", "{\"metadata\":{\"labels\":{\"" + HostLabels.Draining + "\":\"Outdated\"}}}", null);
        await PatchAsync(cluster, "pod-b", ReadyStatus("127.0.0.22", true), "status");
        await Eventually.TrueAsync(async () => await NameHosts.GreetingAsync(endpoint, NextUser(), Ct) == "pod-b", "a new user lands on pod-b", Ct, Wait);
        for (var i = 0; i < 5; i++)
        {
            await AssertGreetsAsync("pod-b", endpoint, NextUser(), gateway);
        }

        await AssertGreetsAsync("pod-a", endpoint, alice, gateway);

        // pod-a is deleted: alice's next connection goes to another host, which can only be pod-b.
        await cluster.Client.DeleteAsync<V1Pod>("pod-a", cluster.Namespace, new DeleteOptions { GracePeriodSeconds = 0 }, Ct);
        await Eventually.TrueAsync(async () => await NameHosts.GreetingAsync(endpoint, alice, Ct) == "pod-b", () => $"alice moves to pod-b: {gateway.Process.ReadOutput()}", Ct, Wait);
        await AssertGreetsAsync("pod-b", endpoint, NextUser(), gateway);
    }

    [Fact]
    public async Task Gateway_CachesNotSynced_ReadyzAnswers503UntilTheyAre()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        // Pods cannot be listed (the check at start lists DesktopPools only): the pod cache cannot sync.
        cluster.TestServer.Faults.FailFraction(1.0, r => r.Method == "GET" && r.Path.EndsWith("/pods", StringComparison.Ordinal), statusCode: 500);
        await using var gateway = GatewayProcess.Start(cluster, _root);

        await Eventually.TrueAsync(async () => await gateway.StatusOfAsync("/healthz") == HttpStatusCode.OK, () => $"/healthz answers 200: {gateway.Process.ReadOutput()}", Ct, Wait);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await gateway.StatusOfAsync("/readyz"));
        Assert.True(cluster.TestServer.Faults.InjectedFailures > 0, "the gateway tried to list pods");

        cluster.TestServer.Faults.Clear();

        await Eventually.TrueAsync(async () => await gateway.StatusOfAsync("/readyz") == HttpStatusCode.OK, () => $"/readyz answers 200 once the caches sync: {gateway.Process.ReadOutput()}", Ct, Wait);
    }

    public void Dispose() => HostLogs.Remove(_root);

    /// <summary>A new user: a client source address no other connection of this test used (127.0.1.x, 127.0.2.x, ...).</summary>
    private IPAddress NextUser()
    {
        var n = Interlocked.Increment(ref _nextUser);
        return new IPAddress([127, 0, (byte)(1 + (n / 250)), (byte)(1 + (n % 250))]);
    }

    /// <summary>The user's connection reaches <paramref name="expected"/>; on failure, says what it got and what the gateway logged.</summary>
    private static async Task AssertGreetsAsync(string expected, IPEndPoint endpoint, IPAddress user, GatewayProcess gateway)
    {
        var greeting = await NameHosts.GreetingAsync(endpoint, user, Ct);
        Assert.True(
            greeting == expected,
            $"{user} should reach {expected} but got {greeting ?? "no greeting (refused, closed or timed out)"}; gateway output: {gateway.Process.ReadOutput()}");
    }

    private static DesktopPool StaticPool(string ns, string name, int hostPort, int gatewayPort, params (string Name, string Address)[] hosts) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new DesktopPoolSpec
        {
            StaticHosts = [.. hosts.Select(h => new StaticHost { Name = h.Name, Address = h.Address })],
            Protocols = [new ProtocolSpec { Name = "tcp", Kind = ProtocolKind.Tcp, Port = hostPort, GatewayPort = gatewayPort }],
            Capacity = new CapacitySpec { SessionsPerHost = 50 },
        },
    };

    private static DesktopPool TemplatePool(string ns, string name, int hostPort, int gatewayPort) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new DesktopPoolSpec
        {
            Template = new HostTemplate { Spec = JsonDocument.Parse("""{"containers":[{"name":"desktop","image":"example/desktop:1"}]}""").RootElement.Clone() },
            Protocols = [new ProtocolSpec { Name = "tcp", Kind = ProtocolKind.Tcp, Port = hostPort, GatewayPort = gatewayPort }],
            Capacity = new CapacitySpec { SessionsPerHost = 50, MinHosts = 1, MaxHosts = 4 },
        },
    };

    /// <summary>A host pod of <paramref name="pool"/> as the operator makes it (label, controller owner), its status as a kubelet reports it.</summary>
    private static async Task CreatePodAsync(KubeCluster cluster, DesktopPool pool, string name, string ip, bool ready, string? draining = null)
    {
        var labels = new Dictionary<string, string> { [HostLabels.Pool] = pool.Metadata.Name, [HostLabels.ManagedBy] = HostLabels.ManagedByValue };
        if (draining is not null)
        {
            labels[HostLabels.Draining] = draining;
        }

        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = cluster.Namespace,
                Labels = labels,
                OwnerReferences = [new V1OwnerReference { ApiVersion = pool.ApiVersion, Kind = pool.Kind, Name = pool.Metadata.Name, Uid = pool.Metadata.Uid, Controller = true }],
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "desktop", Image = "example/desktop:1" }] },
        };
        await cluster.Client.CreateAsync(pod, Ct);
        await PatchAsync(cluster, name, ReadyStatus(ip, ready), "status");
    }

    private static string ReadyStatus(string ip, bool ready) =>
        $$$"""{"status":{"phase":"Running","podIP":"{{{ip}}}","conditions":[{"type":"Ready","status":"{{{(ready ? "True" : "False")}}}"}]}}""";

    private static Task<V1Pod> PatchAsync(KubeCluster cluster, string pod, string patch, string? subresource) =>
        cluster.Client.PatchAsync<V1Pod>(pod, cluster.Namespace, new V1Patch(patch, V1Patch.PatchType.MergePatch), null, subresource, Ct);
}
