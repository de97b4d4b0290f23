using System.Text.Json;
using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Controllers.Pools;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Testing;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Kubelet;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Controllers.Tests.Integration;

/// <summary>
/// The test API server with our CRDs and kube-controller-manager's controllers, a simulated kubelet (scheduler too)
/// that works through the API only, and the DesktopPool controller running against them. Disposing stops all.
/// </summary>
internal sealed class PoolCluster : IAsyncDisposable
{
    public const string Namespace = "pools";
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private SimulatedKubelet? _kubelet;
    private Controller? _controller;

    private PoolCluster(TestApiServer server, KubernetesClient client)
    {
        Server = server;
        Client = client;
    }

    public TestApiServer Server { get; }

    public KubernetesClient Client { get; }

    public static async Task<PoolCluster> StartAsync(PoolReconcilerOptions? reconcilerOptions = null)
    {
        var options = new TestApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(300) };
        options.Namespaces.Add(Namespace);
        foreach (var crd in RepositoryPaths.CrdFiles())
        {
            options.CrdFiles.Add(crd);
        }

        var server = new TestApiServer(options);
        await server.StartAsync();
        var client = new KubernetesClient(new KubeClientSettings { Host = server.BaseAddress });
        var cluster = new PoolCluster(server, client);
        cluster._kubelet = new SimulatedKubelet(server.CreateClient(), new SimulatedKubeletOptions { GracePeriodScale = 0 });
        await cluster._kubelet.StartAsync();
        var factory = new SharedInformerFactory(client);
        var recorder = new EventRecorder(client, new EventRecorderOptions { Component = "desktop-operator" });
        cluster._controller = DesktopPoolController.Create(factory, client, recorder, Namespace, reconcilerOptions ?? new PoolReconcilerOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        await factory.StartAsync(cluster._stop.Token);
        cluster._running.Add(recorder.RunAsync(cluster._stop.Token));
        cluster._running.Add(cluster._controller.RunAsync(cluster._stop.Token));
        return cluster;
    }

    public static DesktopPool Pool(string name, int min = 1, int max = 10, int buffer = 1, int perHost = 1, string scaleDownDelay = "5m") => new()
    {
        Metadata = new k8s.Models.V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new DesktopPoolSpec
        {
            Template = new HostTemplate
            {
                Spec = JsonDocument.Parse("""{"containers":[{"name":"desktop","image":"example/xrdp:1"}]}""").RootElement.Clone(),
            },
            Protocols = [new ProtocolSpec { Name = "rdp", Kind = ProtocolKind.Rdp, Port = 3389, GatewayPort = 3389 }],
            Capacity = new CapacitySpec { MinHosts = min, MaxHosts = max, BufferSessions = buffer, SessionsPerHost = perHost, ScaleDownDelay = scaleDownDelay },
        },
    };

    public async Task<IReadOnlyList<k8s.Models.V1Pod>> HostsAsync(string pool)
    {
        var list = await Client.ListAsync<k8s.Models.V1Pod>(Namespace, new ListOptions { LabelSelector = $"{HostLabels.Pool}={pool}" }, CancellationToken.None);
        return [.. list.Items];
    }

    /// <summary>The pool as stored, or null once the API server has removed it.</summary>
    public async Task<DesktopPool?> FindPoolAsync(string name)
    {
        try
        {
            return await Client.GetAsync<DesktopPool>(name, Namespace, CancellationToken.None);
        }
        catch (KubeNotFoundException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<k8s.Models.Corev1Event>> EventsAsync() =>
        [.. (await Client.ListAsync<k8s.Models.Corev1Event>(Namespace, null, CancellationToken.None)).Items];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        _controller?.Dispose();
        if (_kubelet is not null)
        {
            await _kubelet.DisposeAsync();
        }

        await Server.DisposeAsync();
        Client.Dispose();
        _stop.Dispose();
    }
}
