using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Waiting;
using k8s;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Runtime;

/// <summary>Informers over HTTP against the TestApiServer: sync, ordered changes, relist after 410, outage recovery.</summary>
public sealed class InformerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Informer_AgainstTheServer_SyncsThenSeesChangesInOrder()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var ns = cluster.Namespace;
        for (var i = 0; i < 3; i++)
        {
            await cluster.Client.CreateAsync(TypedVerbTests.Pod(ns, $"p{i}", "x"), Ct);
        }

        using var stop = new CancellationTokenSource();
        var (informer, log) = StartInformer<V1Pod>(cluster, ns, stop.Token);
        await WaitForSyncAsync(informer);
        var initial = log.Snapshot();

        var p1 = await cluster.Client.GetAsync<V1Pod>("p1", ns, Ct);
        await cluster.Client.CreateAsync(TypedVerbTests.Pod(ns, "p3", "x"), Ct);
        p1.Metadata.Labels!["parity"] = "y";
        await cluster.Client.ReplaceAsync(p1, Ct);
        await cluster.Client.DeleteAsync<V1Pod>("p2", ns, new DeleteOptions { GracePeriodSeconds = 0 }, Ct);
        await Eventually.TrueAsync(() => Task.FromResult(log.Snapshot().Count >= 7), "four more notifications", Ct);
        await stop.CancelAsync();

        // Deleting a pod at once is seen as an update (deletionTimestamp set) and then the deletion (transcript 16).
        Assert.Equal(["add-initial p0", "add-initial p1", "add-initial p2"], initial.Order(StringComparer.Ordinal));
        Assert.Equal(["add p3", "update p1", "update p2", "delete p2"], log.Snapshot().Skip(3));
        Assert.Equal(["p0", "p1", "p3"], informer.Cache.List().Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal));
        Assert.Equal("y", informer.Cache.GetByKey(new(ns, "p1"))!.Metadata.Labels!["parity"]);
    }

    [Fact]
    public async Task Informer_CompactedHistoryAndDroppedWatch_RelistsWithDeletedForVanishedKeys()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        var ns = cluster.Namespace;
        await cluster.Client.CreateAsync(TypedVerbTests.Pod(ns, "kept", "x"), Ct);
        await cluster.Client.CreateAsync(TypedVerbTests.Pod(ns, "vanishes", "x"), Ct);
        using var stop = new CancellationTokenSource();
        var (informer, log) = StartInformer<V1Pod>(cluster, ns, stop.Token);
        await WaitForSyncAsync(informer);

        // The informer's reads (list and watch) fail while the world changes; then the history it would resume from is gone.
        var server = cluster.TestServer;
        server.Faults.FailFraction(1.0, 500, match: (method, path) => method == "GET" && path.EndsWith($"/namespaces/{ns}/pods", StringComparison.Ordinal));
        server.Faults.DropWatches();
        await cluster.Client.DeleteAsync<V1Pod>("vanishes", ns, new DeleteOptions { GracePeriodSeconds = 0 }, Ct);
        await cluster.Client.CreateAsync(TypedVerbTests.Pod(ns, "appears", "x"), Ct);
        server.CompactHistory();
        var failuresBefore = server.Faults.InjectedFailures;
        await Eventually.TrueAsync(() => Task.FromResult(server.Faults.InjectedFailures > failuresBefore), "the informer tries again during the fault", Ct);
        Assert.NotNull(informer.Cache.GetByKey(new(ns, "vanishes"))); // not seen through a watch
        server.Faults.Clear();

        // The cache is updated before handlers are told, so wait for the notifications themselves.
        await Eventually.TrueAsync(
            () => Task.FromResult(log.Snapshot() is var seen && seen.Contains("delete vanishes") && seen.Contains("add appears")),
            "the relist reports the vanished and the new pod",
            Ct);
        await stop.CancelAsync();
        Assert.Equal(["appears", "kept"], informer.Cache.List().Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Informer_ThroughAnOutage_BacksOffThenConvergesToTheServer()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        var server = cluster.TestServer;
        using var stop = new CancellationTokenSource();
        var (informer, _) = StartInformer<V1Namespace>(cluster, null, stop.Token);
        await WaitForSyncAsync(informer);

        server.Faults.StartOutage(OutageMode.RefuseConnections);
        server.EnsureNamespace("created-during-outage");
        await Eventually.TrueAsync(() => Task.FromResult(server.Faults.Outage is not null), "the outage is on", Ct);
        Assert.Null(informer.Cache.GetByKey(new(null, "created-during-outage")));
        server.Faults.EndOutage();

        await Eventually.TrueAsync(
            () => Task.FromResult(informer.Cache.GetByKey(new(null, "created-during-outage")) is not null),
            "the informer reconnects and sees the namespace created during the outage",
            Ct);
        var serverNames = (await cluster.Client.ListAsync<V1Namespace>(null, null, Ct)).Items.Select(n => n.Metadata.Name!).Order(StringComparer.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(serverNames, informer.Cache.List().Select(n => n.Metadata.Name!).Order(StringComparer.Ordinal));
    }

    internal static (ISharedInformer<T> Informer, NotificationLog Log) StartInformer<T>(KubeCluster cluster, string? ns, CancellationToken token)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var factory = new SharedInformerFactory(cluster.Client);
        var informer = factory.GetInformer(new InformerOptions<T>
        {
            Namespace = ns,
            InitialBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(500),
        });
        var log = new NotificationLog();
        informer.AddEventHandler(new ResourceEventHandler<T>
        {
            Added = (o, initial) => log.Add((initial ? "add-initial " : "add ") + o.Metadata.Name),
            Updated = (_, o) => log.Add("update " + o.Metadata.Name),
            Deleted = o => log.Add("delete " + o.Metadata.Name),
        });
        _ = factory.StartAsync(token);
        return (informer, log);
    }

    internal static Task WaitForSyncAsync(IInformerSync informer) =>
        Eventually.TrueAsync(() => Task.FromResult(informer.HasSynced), "the informer has synced", Ct);

    internal sealed class NotificationLog
    {
        private readonly List<string> _entries = [];

        public void Add(string entry)
        {
            lock (_entries)
            {
                _entries.Add(entry);
            }
        }

        public List<string> Snapshot()
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }
}
