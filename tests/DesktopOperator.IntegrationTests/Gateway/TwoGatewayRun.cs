using System.Net;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>
/// What the two-replica tests share: a test API server, two name hosts (host-x, host-y) and a static-host pool over
/// them with source-address affinity; gateways started here open the pool's port on the loopback address given.
/// </summary>
internal sealed class TwoGatewayRun : IAsyncDisposable
{
    public const string PoolName = "shared";

    /// <summary>The source address of the readiness probe's connections: a user of its own, left out of <see cref="RoutesAsync"/>.</summary>
    public static readonly IPAddress ProbeUser = IPAddress.Loopback;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _root;

    private TwoGatewayRun(KubeCluster cluster, NameHosts hosts, int port, string root)
    {
        Cluster = cluster;
        Hosts = hosts;
        Port = port;
        _root = root;
    }

    public KubeCluster Cluster { get; }

    public NameHosts Hosts { get; }

    /// <summary>The pool's gateway port, the same on every replica.</summary>
    public int Port { get; }

    public static async Task<TwoGatewayRun> StartAsync(string root)
    {
        var cluster = await KubeCluster.StartAsync(allowReal: false);
        NameHosts? hosts = null;
        try
        {
            hosts = NameHosts.Start(("host-x", 51), ("host-y", 52));
            var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);
            await cluster.Client.CreateAsync(Pool(cluster.Namespace, hosts.Port, port), Ct);
            return new TwoGatewayRun(cluster, hosts, port, root);
        }
        catch
        {
            if (hosts is not null)
            {
                await hosts.DisposeAsync();
            }

            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>A gateway replica listening on <paramref name="address"/>, once /readyz answers 200 and it routes the probe user to a host.</summary>
    public async Task<GatewayProcess> StartGatewayAsync(string name, IPAddress address)
    {
        var gateway = GatewayProcess.Start(Cluster, _root, name, address);
        try
        {
            await Eventually.TrueAsync(async () => await gateway.StatusOfAsync("/readyz") == HttpStatusCode.OK, () => $"{name} /readyz answers 200: {gateway.Process.ReadOutput()}", Ct, Wait);
            await Eventually.TrueAsync(async () => await GreetingAsync(address, ProbeUser) is not null, () => $"{name} routes through the pool's port: {gateway.Process.ReadOutput()}", Ct, Wait);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>The name of the host <paramref name="user"/> reaches through the replica on <paramref name="gateway"/>, or null.</summary>
    public Task<string?> GreetingAsync(IPAddress gateway, IPAddress user) => NameHosts.GreetingAsync(new IPEndPoint(gateway, Port), user, Ct);

    /// <summary>Every SessionRoute in the namespace as the API server has it, but the probe user's.</summary>
    public async Task<IReadOnlyList<SessionRoute>> RoutesAsync() =>
        [.. (await Cluster.Client.ListAsync<SessionRoute>(Cluster.Namespace, null, Ct)).Items.Where(r => r.Spec.User != ProbeUser.ToString())];

    /// <summary>The SessionRoutes of <paramref name="user"/> (the affinity key is the source address).</summary>
    public async Task<IReadOnlyList<SessionRoute>> RoutesOfAsync(IPAddress user) =>
        [.. (await RoutesAsync()).Where(r => r.Spec.Pool == PoolName && r.Spec.User == user.ToString())];

    public async ValueTask DisposeAsync()
    {
        await Hosts.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    private static DesktopPool Pool(string ns, int hostPort, int gatewayPort) => new()
    {
        Metadata = new V1ObjectMeta { Name = PoolName, NamespaceProperty = ns },
        Spec = new DesktopPoolSpec
        {
            StaticHosts = [new StaticHost { Name = "host-x", Address = "127.0.0.51" }, new StaticHost { Name = "host-y", Address = "127.0.0.52" }],
            Protocols = [new ProtocolSpec { Name = "tcp", Kind = ProtocolKind.Tcp, Port = hostPort, GatewayPort = gatewayPort }],
            Capacity = new CapacitySpec { SessionsPerHost = 1000 }, // room for TWO_GATEWAYS_USERS=1000, the 1,000 trials
            Affinity = new AffinitySpec { Key = AffinityKey.SourceIP },
        },
    };
}
