using System.Diagnostics.Metrics;
using DesktopOperator.Controllers.Pools;
using DesktopOperator.Controllers.Tests.Pools.AtScale;

namespace DesktopOperator.Controllers.Tests.Pools;

/// <summary>
/// How many API writes (and Events) one DesktopPool reconcile makes: none when nothing changed, and for one change
/// the writes that change implies, the same at every pool size. Counts, not timings: the real reconciler over
/// in-memory caches (<see cref="PoolAtScale"/>); its writes are applied to the caches as the informers would see them.
/// </summary>
public sealed class ReconcileWriteCountTests
{
    private const string StatusPatch = "patch DesktopPool/status";

    [Theory]
    [InlineData(20)]
    [InlineData(200)]
    public async Task Reconcile_NothingChanged_WritesNothing(int hosts)
    {
        var pool = await PoolAtScale.CreateAsync(new PoolShape { Hosts = hosts, Routes = hosts * 10 });

        await pool.ReconcileAsync();
        await pool.ReconcileAsync();

        Assert.Empty(pool.Client.Calls);
        Assert.Empty(pool.Events.Events);
        Assert.Equal(hosts, pool.Pool.Status!.TotalHosts);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(200)]
    public async Task Reconcile_RouteEndedOnHostWithOthers_WritesStatusOnly(int hosts)
    {
        var pool = await PoolAtScale.CreateAsync(new PoolShape { Hosts = hosts, Routes = hosts * 10 });
        var host = pool.Hosts().First(h => h.Bound > 1).Host;
        var activeBefore = pool.Pool.Status!.ActiveSessions + pool.Pool.Status.DisconnectedSessions;

        pool.EndRouteOn(host);
        await pool.ReconcileAsync();

        Assert.Equal(new Dictionary<string, int> { [StatusPatch] = 1 }, pool.Client.Calls);
        Assert.Empty(pool.Events.Events);
        Assert.Equal(activeBefore - 1, pool.Pool.Status!.ActiveSessions + pool.Pool.Status.DisconnectedSessions);
        Assert.Equal(0, await pool.SettleAsync(maxPasses: 1));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(200)]
    public async Task Reconcile_LastRouteOfHostEnded_PatchesThatHostAndStatus(int hosts)
    {
        var pool = await PoolAtScale.CreateAsync(new PoolShape { Hosts = hosts, Routes = hosts * 10 });
        var host = pool.Hosts().First(h => h.Bound == 1).Host;

        pool.EndRouteOn(host);
        await pool.ReconcileAsync();

        Assert.Equal(new Dictionary<string, int> { ["patch Pod"] = 1, [StatusPatch] = 1 }, pool.Client.Calls);
        Assert.Empty(pool.Events.Events);
        Assert.False(pool.Pods.List().Single(p => p.Metadata.Name == host).Metadata.Labels.ContainsKey(Api.Hosts.HostLabels.Busy));
        Assert.Equal(0, await pool.SettleAsync(maxPasses: 1));
    }

    [Theory]
    [InlineData(20)]
    [InlineData(200)]
    public async Task Reconcile_NewSessions_CreatesOneHostPerSessionsPerHost(int hosts)
    {
        var pool = await PoolAtScale.CreateAsync(new PoolShape { Hosts = hosts, Routes = hosts * 10, MaxHosts = hosts + 10 });

        pool.AddPendingRoutes(30);
        await pool.ReconcileAsync();

        Assert.Equal(new Dictionary<string, int> { ["create Pod"] = 3, [StatusPatch] = 1 }, pool.Client.Calls);
        Assert.Equal(new Dictionary<string, int> { ["event Normal HostCreated"] = 3 }, pool.Events.Events);
        Assert.Equal(hosts + 3, pool.Pods.Count);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(200)]
    public async Task Reconcile_NodeCordoned_DrainsAndReplacesOnlyItsHosts(int hosts)
    {
        var shape = new PoolShape { Hosts = hosts, Routes = hosts * 10, Nodes = 10 };
        var pool = await PoolAtScale.CreateAsync(shape);
        var onNode = pool.Pods.List().Count(p => p.Spec.NodeName == "node-0");

        pool.CordonNode("node-0");
        await pool.ReconcileAsync();

        Assert.Equal(hosts / shape.Nodes, onNode);
        Assert.Equal(new Dictionary<string, int> { ["create Pod"] = onNode, ["patch Pod"] = onNode, [StatusPatch] = 1 }, pool.Client.Calls);
        Assert.Equal(new Dictionary<string, int> { ["event Normal HostCreated"] = onNode, ["event Normal HostDraining"] = onNode }, pool.Events.Events);
    }

    [Fact]
    public async Task Reconcile_NodeCordoned_DecisionsCountedAsTheirEvents()
    {
        var shape = new PoolShape { Hosts = 20, Routes = 200, Nodes = 10 };
        var pool = await PoolAtScale.CreateAsync(shape);
        var onNode = pool.Pods.List().Count(p => p.Spec.NodeName == "node-0");
        var counted = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == pool.Meter && instrument.Name == PoolDecisions.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var labels = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            var key = $"{labels["decision"]} {labels["reason"]} {labels["namespace"]}/{labels["pool"]}";
            counted[key] = counted.GetValueOrDefault(key) + value;
        });
        listener.Start();

        pool.CordonNode("node-0");
        await pool.ReconcileAsync();

        Assert.Equal(
            new Dictionary<string, long> { ["create BelowDesired desktops/office"] = onNode, ["drain NodeCordoned desktops/office"] = onNode },
            counted);
    }

    [Theory]
    [InlineData(20, 1)]
    [InlineData(200, 3)]
    public async Task Reconcile_TemplateChanged_CreatesAtMostMaxSurge(int hosts, int maxSurge)
    {
        var pool = await PoolAtScale.CreateAsync(new PoolShape { Hosts = hosts, Routes = hosts * 10, MaxSurge = maxSurge });

        pool.ChangeTemplate("example/xrdp:2");
        await pool.ReconcileAsync();

        Assert.Equal(new Dictionary<string, int> { ["create Pod"] = maxSurge, [StatusPatch] = 1 }, pool.Client.Calls);
        Assert.Equal(new Dictionary<string, int> { ["event Normal HostCreated"] = maxSurge }, pool.Events.Events);
    }
}
