using System.Net;
using System.Net.Sockets;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Testing;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.SimulatedNode;

/// <summary>
/// The operator without a cluster, every piece a process: the test API server program, <c>kubectl apply</c> of our
/// CRDs and the VNC pool sample, <c>desktop-operator operator</c>, and the simulated node program working through the
/// API only. The node runs the pool's pods at addresses of its range and sets Ready from a TCP probe of each pod's
/// desktop port: a pod is Ready exactly while a server listens at its address.
/// </summary>
public sealed class SimulatedNodeProcessTests
{
    private const string Pool = "vnc-desktops"; // config/samples/desktoppool-vnc.yaml: minHosts 2, port 5901
    private const int DesktopPort = 5901;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [ToolFact("kubectl", "setsid")]
    public async Task SimulatedNode_EchoListenerAtPodAddress_PodReadyWhileItListens()
    {
        await using var cluster = await SimulatedClusterProcesses.StartAsync(Ct);
        using var client = new KubernetesClient(KubeClientSettings.BuildConfigFromConfigFile(cluster.Kubeconfig));
        var (backed, other) = await StartPoolAsync(cluster, client);

        using (var listener = EchoListener.Start(IPAddress.Parse(backed.Status.PodIP), DesktopPort))
        {
            await WaitReadyAsync(cluster, client, backed.Metadata.Name, true);
            await Eventually.TrueAsync(
                async () => (await client.GetAsync<DesktopPool>(Pool, "default", Ct)).Status?.ReadyHosts == 1,
                () => $"the pool counts one ready host\n{cluster.Logs()}", Ct, Bound);
            Assert.False(IsReady(await client.GetAsync<V1Pod>(other.Metadata.Name, "default", Ct)), "nothing listens at the other pod's address");
            Assert.Equal("hello", await listener.EchoAsync("hello"));
        }

        await WaitReadyAsync(cluster, client, backed.Metadata.Name, false);
        Assert.Contains(Pool, await cluster.KubectlAsync(Ct, "get", "dp,sr"), StringComparison.Ordinal);
        Assert.Contains(backed.Metadata.Name, await cluster.KubectlAsync(Ct, "get", "pods"), StringComparison.Ordinal);
    }

    [ToolFact("kubectl", "setsid", "Xvnc")]
    public async Task SimulatedNode_XvncAtPodAddress_PodReady()
    {
        await using var cluster = await SimulatedClusterProcesses.StartAsync(Ct);
        using var client = new KubernetesClient(KubeClientSettings.BuildConfigFromConfigFile(cluster.Kubeconfig));
        var (backed, other) = await StartPoolAsync(cluster, client);

        await using var xvnc = await XvncHost.StartAsync(new XvncHostOptions("pod-desktop", IPAddress.Parse(backed.Status.PodIP), DesktopPort), Ct);

        await WaitReadyAsync(cluster, client, backed.Metadata.Name, true);
        Assert.False(IsReady(await client.GetAsync<V1Pod>(other.Metadata.Name, "default", Ct)), "nothing listens at the other pod's address");
    }

    /// <summary>CRDs and the pool sample through kubectl, then the operator and a node: two pods Running, not Ready.</summary>
    private static async Task<(V1Pod Backed, V1Pod Other)> StartPoolAsync(SimulatedClusterProcesses cluster, KubernetesClient client)
    {
        await cluster.KubectlAsync(Ct, "apply", "-f", RepositoryPaths.PathOf("crds"));
        await cluster.KubectlAsync(Ct, "apply", "-f", RepositoryPaths.PathOf("config", "samples", "desktoppool-vnc.yaml"));
        cluster.StartOperator();
        // A /24 of its own per run: pods of parallel runs never share an address.
        var net = $"127.0.{Random.Shared.Next(100, 250)}";
        cluster.StartNode("sim-it", $"{net}.21-{net}.40");

        IList<V1Pod> pods = [];
        await Eventually.TrueAsync(
            async () =>
            {
                pods = (await client.ListAsync<V1Pod>("default", new ListOptions { LabelSelector = $"desktop-operator.io/pool={Pool}" }, Ct)).Items;
                return pods.Count == 2 && pods.All(p => p.Status?.Phase == "Running" && p.Status.PodIP?.StartsWith(net + ".", StringComparison.Ordinal) == true);
            },
            () => $"the operator creates two hosts and the node runs them at addresses of its range\n{cluster.Logs()}", Ct, Bound);
        Assert.All(pods, p => Assert.Equal("sim-it", p.Spec.NodeName));
        Assert.All(pods, p => Assert.False(IsReady(p), $"{p.Metadata.Name} is Ready while nothing listens at {p.Status.PodIP}:{DesktopPort}"));
        Assert.NotEqual(pods[0].Status.PodIP, pods[1].Status.PodIP);
        return (pods[0], pods[1]);
    }

    private static Task WaitReadyAsync(SimulatedClusterProcesses cluster, KubernetesClient client, string pod, bool ready) =>
        Eventually.TrueAsync(
            async () => IsReady(await client.GetAsync<V1Pod>(pod, "default", Ct)) == ready,
            () => $"pod {pod} Ready={ready}\n{cluster.Logs()}", Ct, Bound);

    private static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>A TCP echo server on one address and port, standing in for a desktop server; stopped on dispose.</summary>
    private sealed class EchoListener : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        private EchoListener(TcpListener listener)
        {
            _listener = listener;
            _accepting = AcceptAsync(_stop.Token);
        }

        public static EchoListener Start(IPAddress address, int port)
        {
            var listener = new TcpListener(address, port);
            listener.Start();
            return new EchoListener(listener);
        }

        public async Task<string> EchoAsync(string text)
        {
            using var client = new TcpClient();
            await client.ConnectAsync((IPEndPoint)_listener.LocalEndpoint, Ct);
            var stream = client.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text), Ct);
            var buffer = new byte[text.Length];
            await stream.ReadExactlyAsync(buffer, Ct);
            return System.Text.Encoding.ASCII.GetString(buffer);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                _accepting.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException e) when (e.InnerException is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync(CancellationToken ct)
        {
            while (!ct.IsCancellationRequested)
            {
                var connection = await _listener.AcceptTcpClientAsync(ct);
                _ = EchoOneAsync(connection, ct);
            }
        }

        private static async Task EchoOneAsync(TcpClient connection, CancellationToken ct)
        {
            using (connection)
            {
                try
                {
                    await connection.GetStream().CopyToAsync(connection.GetStream(), ct);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                {
                    // The probe resets its connection (SO_LINGER 0): that ends the copy.
                }
            }
        }
    }
}
