using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Testing.Waiting;
using k8s;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Runtime;

/// <summary>Informer watches that end or filter: label selectors and server-side watch timeouts.</summary>
public sealed class InformerWatchTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Informer_WithLabelSelector_DropsAnObjectThatStopsMatching()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var ns = cluster.Namespace;
        await cluster.Client.CreateAsync(TypedVerbTests.Pod(ns, "p0", "even"), Ct);
        await cluster.Client.CreateAsync(TypedVerbTests.Pod(ns, "p1", "odd"), Ct);
        using var stop = new CancellationTokenSource();
        var factory = new SharedInformerFactory(cluster.Client);
        var informer = factory.GetInformer(new InformerOptions<V1Pod> { Namespace = ns, LabelSelector = "parity=even" });
        var deleted = new InformerTests.NotificationLog();
        informer.AddEventHandler(new ResourceEventHandler<V1Pod> { Deleted = o => deleted.Add(o.Metadata.Name!) });
        await factory.StartAsync(stop.Token);
        await InformerTests.WaitForSyncAsync(informer);
        var initial = informer.Cache.List().Select(p => p.Metadata.Name!).ToList();

        var p0 = await cluster.Client.GetAsync<V1Pod>("p0", ns, Ct);
        p0.Metadata.Labels!["parity"] = "odd";
        await cluster.Client.ReplaceAsync(p0, Ct);
        var p1 = await cluster.Client.GetAsync<V1Pod>("p1", ns, Ct);
        p1.Metadata.Labels!["parity"] = "even";
        await cluster.Client.ReplaceAsync(p1, Ct);

        await Eventually.TrueAsync(
            () => Task.FromResult(informer.Cache.GetByKey(new(ns, "p1")) is not null && deleted.Snapshot().Count > 0),
            "the cache follows the selector and the handler heard of the deletion",
            Ct);
        await stop.CancelAsync();
        Assert.Null(informer.Cache.GetByKey(new(ns, "p0")));
        Assert.Equal(["p0"], initial);
        Assert.Equal(["p0"], deleted.Snapshot());
    }

    [Fact]
    public async Task Informer_WatchesEndedByTheServer_ResumeWithoutLosingOrRepeatingChanges()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        var ns = cluster.Namespace;
        using var stop = new CancellationTokenSource();
        var factory = new SharedInformerFactory(cluster.Client);
        var informer = factory.GetInformer(new InformerOptions<V1Pod> { Namespace = ns, WatchTimeout = TimeSpan.FromSeconds(1), InitialBackoff = TimeSpan.FromMilliseconds(50) });
        var log = new InformerTests.NotificationLog();
        informer.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            Added = (o, initial) => log.Add((initial ? "initial " : "add ") + o.Metadata.Name),
            Updated = (old, o) => log.Add(old.Metadata.ResourceVersion == o.Metadata.ResourceVersion ? "resync " + o.Metadata.Name : "update " + o.Metadata.Name),
            Deleted = o => log.Add("delete " + o.Metadata.Name),
        });
        await factory.StartAsync(stop.Token);
        await InformerTests.WaitForSyncAsync(informer);

        // Spread the writes over several one-to-two-second watches; each watch ends normally and is re-opened from the last RV.
        var expected = new List<string>();
        var until = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(4);
        for (var i = 0; DateTimeOffset.UtcNow < until; i++)
        {
            await cluster.Client.CreateAsync(TypedVerbTests.Pod(ns, $"p{i}", "x"), Ct);
            expected.Add($"add p{i}");
            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct); // pacing the writes, not waiting for a result
        }

        await Eventually.TrueAsync(() => Task.FromResult(log.Snapshot().Count >= expected.Count), "every add arrives", Ct);
        await stop.CancelAsync();
        Assert.Equal(expected, log.Snapshot());
        Assert.Equal(expected.Count, informer.Cache.Count);
    }
}
