using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime;
using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Testing.Waiting;
using k8s;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Runtime;

/// <summary>A controller over SessionRoutes that writes status through /status, against the TestApiServer.</summary>
public sealed class ControllerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Controller_StatusWrite_DoesNotRetriggerButASpecChangeDoes()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var ns = cluster.Namespace;
        using var stop = new CancellationTokenSource();
        var factory = new SharedInformerFactory(cluster.Client);
        var routes = factory.GetInformer(new InformerOptions<SessionRoute> { Namespace = ns });
        var reconciler = new StatusWriter(cluster.Client, routes.Cache);
        using var controller = new Controller(new ControllerOptions { Name = "routes-it" }, reconciler, [routes]);
        routes.AddEventHandler(EnqueueHandlers.ForObject<SessionRoute>(controller.Queue));
        var seenVersions = new InformerTests.NotificationLog();
        routes.AddEventHandler(new ResourceEventHandler<SessionRoute>
        {
            Added = (o, _) => seenVersions.Add(o.Metadata.ResourceVersion!),
            Updated = (_, o) => seenVersions.Add(o.Metadata.ResourceVersion!),
        });
        await factory.StartAsync(stop.Token);
        var running = controller.RunAsync(stop.Token);

        await cluster.Client.CreateAsync(TypedVerbTests.Route(ns, "r1", "alice"), Ct);
        var afterStatus = await WaitForObservedGenerationAsync(cluster, ns, 1);

        // Handlers run in order, so once the later handler saw the status write the enqueue handler has judged it too.
        await Eventually.TrueAsync(() => Task.FromResult(seenVersions.Snapshot().Contains(afterStatus.Metadata.ResourceVersion!)), "the informer delivered the status write", Ct);
        await Eventually.TrueAsync(() => Task.FromResult(controller.Queue.Count == 0 && reconciler.InFlight == 0), "the queue is idle", Ct);
        Assert.Equal([1L], reconciler.Generations());

        afterStatus.Spec.Host = "h-2";
        await cluster.Client.ReplaceAsync(afterStatus, Ct);
        await WaitForObservedGenerationAsync(cluster, ns, 2);
        await stop.CancelAsync();
        await running;

        Assert.Equal([1L, 2L], reconciler.Generations());
    }

    [Fact]
    public async Task Controller_StatusWriteRejected_RetriesUntilItLands()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        var ns = cluster.Namespace;
        using var stop = new CancellationTokenSource();
        var factory = new SharedInformerFactory(cluster.Client);
        var routes = factory.GetInformer(new InformerOptions<SessionRoute> { Namespace = ns });
        var reconciler = new StatusWriter(cluster.Client, routes.Cache);
        using var controller = new Controller(new ControllerOptions { Name = "routes-it-retry" }, reconciler, [routes]);
        routes.AddEventHandler(EnqueueHandlers.ForObject<SessionRoute>(controller.Queue));
        await factory.StartAsync(stop.Token);
        var running = controller.RunAsync(stop.Token);

        // The first two /status writes fail with 409 (as from a stale resourceVersion): the reconcile fails and is retried with backoff.
        cluster.TestServer.Faults.FailNext(2, 409, match: (method, path) => method == "PUT" && path.EndsWith("/status", StringComparison.Ordinal));
        await cluster.Client.CreateAsync(TypedVerbTests.Route(ns, "r1", "alice"), Ct);
        await WaitForObservedGenerationAsync(cluster, ns, 1);
        await stop.CancelAsync();
        await running;

        Assert.Equal(2, cluster.TestServer.Faults.InjectedFailures);
        Assert.Equal([1L, 1L, 1L], reconciler.Generations());
    }

    private static async Task<SessionRoute> WaitForObservedGenerationAsync(KubeCluster cluster, string ns, long generation)
    {
        SessionRoute? route = null;
        await Eventually.TrueAsync(
            async () => (route = await cluster.Client.GetAsync<SessionRoute>("r1", ns, Ct)).Status?.ObservedGeneration == generation,
            $"status.observedGeneration reaches {generation}",
            Ct);
        return route!;
    }

    /// <summary>Marks each route Bound with its generation observed, and records which generations it reconciled.</summary>
    private sealed class StatusWriter(IKubernetesClient client, ICache<SessionRoute> cache) : IReconciler
    {
        private readonly List<long> _generations = [];
        private int _inFlight;

        public int InFlight => Volatile.Read(ref _inFlight);

        public List<long> Generations()
        {
            lock (_generations)
            {
                return [.. _generations];
            }
        }

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _inFlight);
            try
            {
                if (cache.GetByKey(key) is not { } cached)
                {
                    return ReconcileResult.Done;
                }

                lock (_generations)
                {
                    _generations.Add(cached.Metadata.Generation ?? 0);
                }

                var route = KubernetesJsonCopy(cached);
                route.Status = new SessionRouteStatus { ObservedGeneration = route.Metadata.Generation, Phase = SessionRoutePhase.Bound };
                await client.ReplaceStatusAsync(route, cancellationToken);
                return ReconcileResult.Done;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        private static SessionRoute KubernetesJsonCopy(SessionRoute route) => KubernetesJson.Deserialize<SessionRoute>(KubernetesJson.Serialize(route));
    }
}
