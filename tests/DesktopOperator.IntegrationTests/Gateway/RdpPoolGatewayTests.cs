using System.Net;
using System.Text.Json;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.IntegrationTests.Controllers;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.IntegrationTests.SimulatedNode;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Desktops.Clients;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>
/// Real RDP through the gateway in Kubernetes mode: the test API server, the operator, the simulated node program and
/// the gateway as processes; a template pool of protocol RDP with two pods, each pod's address backed by a real xrdp +
/// xrdp-sesman listening there (the node marks a pod Ready while something listens at its address and port); a real
/// local account logs in with a full xfreerdp session (not +auth-only) through the gateway's RDP port. The gateway keys
/// the route by the user of the RDP cookie: the SessionRoute is bound to the pod whose xrdp ran the desktop, and the
/// same user connecting again lands on that pod again and gets the same desktop back, never on the idle other pod.
/// </summary>
public sealed class RdpPoolGatewayTests : IDisposable
{
    private const string PoolName = "rdp";
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _root = HostLogs.CreateDirectory("gateway-rdp");

    [RootToolFact("xrdp", "xrdp-sesman", "Xvnc", "Xvfb", "xfreerdp", "useradd", "userdel", "chpasswd", "setsid")]
    public async Task RdpPool_RealUserThroughGateway_RouteBoundToThePodThatRanTheDesktop_ReconnectLandsOnItAgain()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        var net = $"127.0.{Random.Shared.Next(100, 250)}"; // the pods of this run on a /24 of their own
        IPAddress[] podAddresses = [IPAddress.Parse(net + ".71"), IPAddress.Parse(net + ".72")];
        var rdpPort = LoopbackPorts.GetFreePort(podAddresses[0]);
        var gatewayPort = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        await using var display = await XvfbDisplay.StartAsync(cts.Token);
        await using var account = await LocalAccount.CreateAsync(cts.Token);
        await using var xrdpA = await XrdpSessionHost.StartAsync(new XrdpHostOptions("rdp-pod-a", podAddresses[0], rdpPort), cts.Token);
        await using var xrdpB = await XrdpSessionHost.StartAsync(new XrdpHostOptions("rdp-pod-b", podAddresses[1], rdpPort), cts.Token);
        await using var node = SimulatedNodeProcess.Start(cluster, _root, "sim-rdp", $"{podAddresses[0]}-{podAddresses[1]}");
        await using var operatorProcess = OperatorProcess.Start(cluster, _root);
        await cluster.Client.CreateAsync(Pool(cluster.Namespace, rdpPort, gatewayPort), Ct);
        await using var gateway = GatewayProcess.Start(cluster, _root);
        XrdpSessionHost[] xrdps = [xrdpA, xrdpB];
        string Logs() => ChildProcess.Describe([node, operatorProcess, gateway.Process]) + "\n" + string.Join('\n', xrdps.Select(x => x.Describe()));

        var pods = await new PoolPods(cluster, PoolName).RunningAsync(2, Logs);
        await Eventually.TrueAsync(
            async () => (await cluster.Client.GetAsync<DesktopPool>(PoolName, cluster.Namespace, Ct)).Status is { ReadyHosts: 2 },
            () => $"both pods Ready (their xrdp listens)\n{Logs()}", Ct, Wait);
        await Eventually.TrueAsync(async () => await gateway.StatusOfAsync("/readyz") == HttpStatusCode.OK, () => $"the gateway is ready\n{Logs()}", Ct, Wait);
        var endpoint = new IPEndPoint(IPAddress.Loopback, gatewayPort);

        // First login: one pod's sesman starts the user's desktop, and the route is bound to that pod.
        int session;
        SessionRoute route;
        XrdpSessionHost served;
        await using (var first = FreeRdpClient.StartSession(display, endpoint, account.Name, account.Password, _root))
        {
            await Eventually.TrueAsync(
                () => Task.FromResult(XrdpSessionHost.SessionServers(account).Count == 1 && xrdps.Sum(x => x.CountDesktopsJoined()) == 1),
                () => $"a desktop for the user through the gateway\n{first.ReadOutput()}\n{Logs()}", cts.Token, Wait);
            served = xrdps.Single(x => x.CountCreatedSessions(account.Name) == 1);
            // The gateway binds by pod name; the operator records which pod that is (status.hostUid).
            route = await RouteAsync(cluster, account.Name, r => r.Status is { Phase: SessionRoutePhase.Active, Host: not null, HostUid: not null }, "the route Active, its pod's uid recorded", Logs);
            var pod = pods.Single(p => p.Metadata.Name == route.Status!.Host);
            Assert.Equal(served.Endpoint.Address.ToString(), pod.Status.PodIP);
            Assert.Equal(pod.Metadata.Uid, route.Status!.HostUid);
            session = XrdpSessionHost.SessionServers(account)[0];
            Assert.False(first.HasExited, "xfreerdp left the session: " + first.ReadOutput());
        }

        // Disconnected (the client is killed): the route keeps its pod, the desktop stays.
        await RouteAsync(cluster, account.Name, r => r.Status is { Phase: SessionRoutePhase.Disconnected } s && s.Host == route.Status!.Host, "the route Disconnected on its pod", Logs);
        Assert.True(ProcessSignals.IsAlive(session), "the session ended on disconnect\n" + Logs());

        // Back through the gateway: the same pod (its sesman hands the same session back), the other pod never saw the user.
        await using (var second = FreeRdpClient.StartSession(display, endpoint, account.Name, account.Password, _root))
        {
            await Eventually.TrueAsync(
                () => Task.FromResult(served.CountReconnections(account.Name) == 1 && served.CountDesktopsJoined() == 2),
                () => $"the user reconnected to the same pod\n{second.ReadOutput()}\n{Logs()}", cts.Token, Wait);
            Assert.Equal([session], XrdpSessionHost.SessionServers(account));
            var other = xrdps.Single(x => x != served);
            Assert.Equal((0, 0), (other.CountCreatedSessions(account.Name), other.CountDesktopsJoined()));
            var again = await RouteAsync(cluster, account.Name, r => r.Status is { Phase: SessionRoutePhase.Active }, "the route Active again", Logs);
            Assert.Equal(
                (route.Metadata.Name, route.Metadata.Uid, route.Status!.Host, route.Status.HostUid, route.Status.BoundAt),
                (again.Metadata.Name, again.Metadata.Uid, again.Status!.Host, again.Status.HostUid, again.Status.BoundAt));
            Assert.False(second.HasExited, "xfreerdp left the session: " + second.ReadOutput());
        }
    }

    public void Dispose() => HostLogs.Remove(_root);

    private static Task<SessionRoute> RouteAsync(KubeCluster cluster, string user, Func<SessionRoute, bool> condition, string what, Func<string> logs) =>
        UserRoutes.WaitAsync(cluster, PoolName, user, condition, what, logs);

    private static DesktopPool Pool(string ns, int rdpPort, int gatewayPort) => new()
    {
        Metadata = new V1ObjectMeta { Name = PoolName, NamespaceProperty = ns },
        Spec = new DesktopPoolSpec
        {
            // The simulated node probes the first containerPort: a pod is Ready while its xrdp listens there.
            Template = new HostTemplate { Spec = JsonDocument.Parse($$"""{"containers":[{"name":"desktop","image":"example/xrdp:1","ports":[{"containerPort":{{rdpPort}}}]}]}""").RootElement.Clone() },
            Protocols = [new ProtocolSpec { Name = "rdp", Kind = ProtocolKind.Rdp, Port = rdpPort, GatewayPort = gatewayPort }],
            Capacity = new CapacitySpec { SessionsPerHost = 1, BufferSessions = 0, MinHosts = 2, MaxHosts = 2 },
            Affinity = new AffinitySpec { Key = AffinityKey.User, ResumeFor = "1h" },
        },
    };
}
