using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Queues;
using DesktopOperator.Runtime.Tests.Support;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Runtime.Tests.Controllers;

/// <summary>The whole loop: test API server → informer → enqueue handler → controller → reconciler reading the cache.</summary>
public sealed class ControllerWithInformerTests(WidgetApiFixture fixture) : IClassFixture<WidgetApiFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Reconcile_WritesStatusOnly_DoesNotTriggerItselfButSpecChangeDoes()
    {
        var client = fixture.Api.Client;
        var ns = fixture.Api.NewNamespace();
        await client.CreateAsync(Widget.Make("a", ns, replicas: 1), None);
        var factory = new SharedInformerFactory(client);
        var widgets = factory.GetInformer(new InformerOptions<Widget> { Namespace = ns });
        var reconciler = new StatusWriter(client, widgets.Cache);
        var name = $"widget-{Guid.NewGuid():N}";
        using var controller = new Controller(new ControllerOptions { Name = name, RateLimiter = new ItemExponentialFailureRateLimiter<ObjectKey>() }, reconciler, [widgets]);
        widgets.AddEventHandler(EnqueueHandlers.ForObject<Widget>(controller.Queue));
        var seen = new RecordingHandler<Widget>();
        widgets.AddEventHandler(seen);
        using var stop = new CancellationTokenSource();
        await factory.StartAsync(stop.Token);
        var run = controller.RunAsync(stop.Token);

        // The status write comes back as an update; handlers see it in order, ours after the controller's.
        await Eventually.WaitAsync(() => seen.Log.Count(e => e.StartsWith("Update a", StringComparison.Ordinal)) == 1, "the status update event");
        await Eventually.WaitAsync(() => ControllerMetrics.For(name).Total(ReconcileOutcome.Success) >= 1, "the first reconcile done");
        Assert.Equal(0, controller.Queue.Count);
        Assert.Equal([1L], reconciler.Generations);

        var current = await client.GetAsync<Widget>("a", ns, None);
        current.Spec.Replicas = 3;
        await client.ReplaceAsync(current, None);

        await Eventually.WaitAsync(() => ControllerMetrics.For(name).Total(ReconcileOutcome.Success) == 2, "the reconcile of the spec change");
        Assert.Equal([1L, 2L], reconciler.Generations);
        var stored = await client.GetAsync<Widget>("a", ns, None);
        Assert.Equal(2, stored.Status!.ObservedGeneration);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        await factory.WhenStoppedAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Level-based: reads the object from the cache, writes observedGeneration through /status when it differs.</summary>
    private sealed class StatusWriter(KubernetesClient client, ICache<Widget> cache) : IReconciler
    {
        public List<long> Generations { get; } = [];

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            if (cache.GetByKey(key) is not { } widget)
            {
                return ReconcileResult.Done;
            }

            var generation = widget.Metadata.Generation ?? 0;
            Generations.Add(generation);
            if (widget.Status?.ObservedGeneration != generation)
            {
                var copy = k8s.KubernetesJson.Deserialize<Widget>(k8s.KubernetesJson.Serialize(widget));
                copy.Status = new WidgetStatus { ObservedGeneration = generation };
                await client.ReplaceStatusAsync(copy, cancellationToken);
            }

            return ReconcileResult.Done;
        }
    }
}
