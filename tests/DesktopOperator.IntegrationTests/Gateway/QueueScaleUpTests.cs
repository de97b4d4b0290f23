using System.Net;
using System.Text.Json;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.IntegrationTests.Controllers;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.IntegrationTests.SimulatedNode;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>
/// A full pool with <c>sessions.whenFull: Queue</c>, end to end in Kubernetes mode: the test API server, the operator,
/// the simulated node program (pods Ready while a host listens at their address) and the gateway as processes, and
/// users as real TCP clients (one source address each, the affinity key). A user who finds every slot taken is held by
/// the gateway, not refused: their SessionRoute is Pending, the operator scales the pool up for it, and the held
/// connection goes through once the new host is Ready, without reconnecting; at maxHosts the pool says ScalingLimited
/// and a held user gets the slot a leaving user's route gives back when it expires (resumeFor).
/// </summary>
public sealed class QueueScaleUpTests : IDisposable
{
    private const string PoolName = "queue";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _root = HostLogs.CreateDirectory("queue-scale-up");

    [Fact]
    public async Task PoolFull_QueuedUserPending_PoolScalesUp_HeldConnectionGoesThrough_AtMaxHostsWaitsForAnExpiry()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        var net = $"127.0.{Random.Shared.Next(100, 250)}"; // pods and users of this run on a /24 of their own
        var hostPort = LoopbackPorts.GetFreePort(IPAddress.Parse(net + ".61"));
        var gatewayPort = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        await using var hosts = new EchoHosts(hostPort);
        await using var node = SimulatedNodeProcess.Start(cluster, _root, "sim-queue", $"{net}.61-{net}.62");
        await using var operatorProcess = OperatorProcess.Start(cluster, _root);
        await cluster.Client.CreateAsync(Pool(cluster.Namespace, hostPort, gatewayPort), Ct);
        await using var gateway = GatewayProcess.Start(cluster, _root);
        string Logs() => ChildProcess.Describe([node, operatorProcess, gateway.Process]);
        var pools = new PoolPods(cluster, PoolName);

        var first = await pools.RunningAsync(1, Logs);
        hosts.Listen(IPAddress.Parse(first[0].Status.PodIP));
        await Eventually.TrueAsync(async () => await gateway.StatusOfAsync("/readyz") == HttpStatusCode.OK, () => $"the gateway is ready\n{Logs()}", Ct, Wait);
        var endpoint = new IPEndPoint(IPAddress.Loopback, gatewayPort);

        // 1. A takes the only slot: served by host 1. Until the gateway sees host 1 Ready it has no usable host and
        // refuses (whenFull queues only when hosts are full), so A tries again until served.
        var userA = IPAddress.Parse(net + ".101");
        HeldClient? a = null;
        await using var disposeA = new AsyncDisposal(() => a);
        await Eventually.TrueAsync(
            async () =>
            {
                if (a is not null)
                {
                    await a.DisposeAsync();
                }

                a = await HeldClient.ConnectAsync(endpoint, userA, Ct);
                return await GreetingOrNullAsync(a) is not null;
            },
            $"A is served once the gateway sees host 1 Ready\n{Logs()}", Ct, Wait);
        Assert.Equal(first[0].Status.PodIP, await a!.Greeting);
        Assert.Equal("a-bytes\n", await a.EchoAsync("a-bytes\n"));
        await RouteAsync(cluster, userA, r => r.Status is { Phase: SessionRoutePhase.Active, Host: var h } && h == first[0].Metadata.Name, "A's route Active on host 1", Logs);

        // 2. B while A holds the slot: held, Pending; the operator starts a second host for it (not Ready: nothing listens yet).
        var userB = IPAddress.Parse(net + ".102");
        await using var b = await HeldClient.ConnectAsync(endpoint, userB, Ct);
        await RouteAsync(cluster, userB, r => r.Status is { Phase: SessionRoutePhase.Pending, Host: null }, "B's route Pending", Logs);
        var second = (await pools.RunningAsync(2, Logs)).Single(p => p.Metadata.Name != first[0].Metadata.Name);
        Assert.False(b.Greeting.IsCompleted, "B is held while no slot is free");

        // 3. The new host becomes Ready: B's route binds to it and B's held connection goes through, without reconnecting.
        hosts.Listen(IPAddress.Parse(second.Status.PodIP));
        Assert.Equal(second.Status.PodIP, await b.Greeting);
        Assert.Equal("b-bytes\n", await b.EchoAsync("b-bytes\n"));
        await RouteAsync(cluster, userB, r => r.Status is { Phase: SessionRoutePhase.Active, Host: var h } && h == second.Metadata.Name, "B's route Active on host 2", Logs);

        // 4. C at maxHosts with both slots held: Pending and the pool ScalingLimited; A leaves, A's route expires, C gets host 1.
        var userC = IPAddress.Parse(net + ".103");
        await using var c = await HeldClient.ConnectAsync(endpoint, userC, Ct);
        await RouteAsync(cluster, userC, r => r.Status is { Phase: SessionRoutePhase.Pending, Host: null }, "C's route Pending", Logs);
        await Eventually.TrueAsync(
            async () => (await cluster.Client.GetAsync<DesktopPool>(PoolName, cluster.Namespace, Ct)).Status?.Conditions?.Any(k => k is { Type: ConditionTypes.ScalingLimited, Status: "True" }) == true,
            () => $"the pool says ScalingLimited\n{Logs()}", Ct, Wait);
        Assert.Equal(2, (await pools.ListAsync()).Count);
        Assert.False(c.Greeting.IsCompleted, "C is held while both slots are taken and the pool is at maxHosts");

        await a.DisposeAsync();
        Assert.Equal(first[0].Status.PodIP, await c.Greeting);
        Assert.Equal("c-bytes\n", await c.EchoAsync("c-bytes\n"));
        await RouteAsync(cluster, userC, r => r.Status is { Phase: SessionRoutePhase.Active, Host: var h } && h == first[0].Metadata.Name, "C's route Active on host 1", Logs);
        await Eventually.TrueAsync(async () => (await UserRoutes.OfAsync(cluster, PoolName, userA.ToString())).Count == 0, () => $"A's route expired after resumeFor and was deleted\n{Logs()}", Ct, Wait);
    }

    public void Dispose() => HostLogs.Remove(_root);

    /// <summary>The greeting, or null when the gateway closed or reset the connection instead.</summary>
    private static async Task<string?> GreetingOrNullAsync(HeldClient client)
    {
        try
        {
            return await client.Greeting;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    private static Task RouteAsync(KubeCluster cluster, IPAddress user, Func<SessionRoute, bool> condition, string what, Func<string> logs) =>
        UserRoutes.WaitAsync(cluster, PoolName, user.ToString(), condition, what, logs);

    private static DesktopPool Pool(string ns, int hostPort, int gatewayPort) => new()
    {
        Metadata = new V1ObjectMeta { Name = PoolName, NamespaceProperty = ns },
        Spec = new DesktopPoolSpec
        {
            // The simulated node probes the first containerPort: a pod is Ready while its host listens there.
            Template = new HostTemplate { Spec = JsonDocument.Parse($$"""{"containers":[{"name":"desktop","image":"example/echo:1","ports":[{"containerPort":{{hostPort}}}]}]}""").RootElement.Clone() },
            Protocols = [new ProtocolSpec { Name = "tcp", Kind = ProtocolKind.Tcp, Port = hostPort, GatewayPort = gatewayPort }],
            Capacity = new CapacitySpec { SessionsPerHost = 1, BufferSessions = 0, MinHosts = 1, MaxHosts = 2 },
            Affinity = new AffinitySpec { Key = AffinityKey.SourceIP, ResumeFor = "2s" },
            Sessions = new SessionsSpec { WhenFull = FullPoolAction.Queue },
        },
    };

    /// <summary>Disposes the client <paramref name="current"/> returns at the time, if any (A's, which is replaced while it retries).</summary>
    private sealed class AsyncDisposal(Func<HeldClient?> current) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => current() is { } client ? client.DisposeAsync() : ValueTask.CompletedTask;
    }
}
