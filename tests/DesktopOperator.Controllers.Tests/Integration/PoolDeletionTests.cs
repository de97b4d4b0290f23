using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Controllers.Pools;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.Controllers.Tests.Integration;

/// <summary>
/// Deleting a DesktopPool: its finalizer keeps it while busy hosts drain, up to the pool deletion grace; empty hosts
/// go at once; then the finalizer goes and so does the pool (test API server, simulated kubelet, real controller).
/// </summary>
public sealed class PoolDeletionTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DeleteEmptyPool_FinalizerAddedThenRemoved_PoolAndHostsGone()
    {
        await using var cluster = await PoolCluster.StartAsync();
        await cluster.Client.CreateAsync(PoolCluster.Pool("desk", min: 2, buffer: 0), Ct);
        await WaitHostsAsync(cluster, "desk", h => h.Count == 2 && h.All(HostViews.IsReady), "two ready hosts");
        await Eventually.TrueAsync(async () => (await cluster.FindPoolAsync("desk"))?.Metadata.Finalizers?.Contains(PoolFinalizer.Name) == true, "the pool carries the finalizer", Ct, Bound);

        await cluster.Client.DeleteAsync<DesktopPool>("desk", PoolCluster.Namespace, null, Ct);

        await Eventually.TrueAsync(async () => await cluster.FindPoolAsync("desk") is null, "the pool is gone", Ct, Bound);
        await WaitHostsAsync(cluster, "desk", h => h.Count == 0, "no host left");
        var events = await EventsAsync(cluster, all => all.Count(e => e.Reason == "HostDeleted" && e.Message.Contains("(PoolDeleted)", StringComparison.Ordinal)) == 2, "two HostDeleted events");
        Assert.DoesNotContain(events, e => e.Reason == "PoolDeletionGrace");
    }

    [Fact]
    public async Task DeleteBusyPool_BusyHostDrainsAndStaysUntilItsRouteEnds_EmptyHostDeletedAtOnce()
    {
        await using var cluster = await PoolCluster.StartAsync();
        await cluster.Client.CreateAsync(PoolCluster.Pool("desk", min: 2, buffer: 0), Ct);
        var hosts = await WaitHostsAsync(cluster, "desk", h => h.Count == 2 && h.All(HostViews.IsReady), "two ready hosts");
        var (busy, empty) = (hosts[0].Metadata.Name, hosts[1].Metadata.Name);
        await DesktopPoolControllerTests.BindRouteAsync(cluster, "alice", "desk", busy);
        await Eventually.TrueAsync(async () => (await PodAsync(cluster, busy)).Metadata.Labels.ContainsKey(HostLabels.Busy), "the busy label", Ct, Bound);

        await cluster.Client.DeleteAsync<DesktopPool>("desk", PoolCluster.Namespace, null, Ct);

        var left = await WaitHostsAsync(cluster, "desk", h => h.Count == 1 && h[0].Metadata.Labels.TryGetValue(HostLabels.Draining, out var r) && r == DrainReason.PoolDeleting,
            "the empty host deleted, the busy one draining");
        Assert.Equal(busy, left[0].Metadata.Name);
        Assert.Null(left[0].Metadata.DeletionTimestamp);
        var pool = await cluster.FindPoolAsync("desk");
        Assert.NotNull(pool?.Metadata.DeletionTimestamp);
        Assert.Contains(PoolFinalizer.Name, pool!.Metadata.Finalizers);
        await Eventually.TrueAsync(async () => (await cluster.EventsAsync()).Any(e => e.Reason == "PoolDeletionGrace" && e.Type == "Warning"), "the grace warning", Ct, Bound);
        Assert.DoesNotContain(await cluster.EventsAsync(), e => e.Reason == "HostDeleted" && e.Message.Contains(busy, StringComparison.Ordinal));
        Assert.DoesNotContain(await cluster.HostsAsync("desk"), p => p.Metadata.Name == empty);

        await cluster.Client.DeleteAsync<SessionRoute>("desk-alice", PoolCluster.Namespace, null, Ct);

        await Eventually.TrueAsync(async () => await cluster.FindPoolAsync("desk") is null, "the pool is gone once the route ended", Ct, Bound);
        await WaitHostsAsync(cluster, "desk", h => h.Count == 0, "no host left");
        await EventsAsync(cluster, all => all.Any(e => e.Reason == "HostDeleted" && e.Type == "Normal" && e.Message == $"Host {busy} deleted (PoolDeleted)"), "the busy host's HostDeleted event");
    }

    [Fact]
    public async Task DeleteBusyPool_GraceRunsOut_BusyHostDeletedAfterWarning()
    {
        await using var cluster = await PoolCluster.StartAsync(new PoolReconcilerOptions { PoolDeletionGrace = TimeSpan.FromSeconds(5) });
        await cluster.Client.CreateAsync(PoolCluster.Pool("desk", min: 1, buffer: 0), Ct);
        var busy = (await WaitHostsAsync(cluster, "desk", h => h.Count == 1 && h.All(HostViews.IsReady), "one ready host"))[0].Metadata.Name;
        await DesktopPoolControllerTests.BindRouteAsync(cluster, "alice", "desk", busy);
        await Eventually.TrueAsync(async () => (await PodAsync(cluster, busy)).Metadata.Labels.ContainsKey(HostLabels.Busy), "the busy label", Ct, Bound);

        await cluster.Client.DeleteAsync<DesktopPool>("desk", PoolCluster.Namespace, null, Ct);

        await Eventually.TrueAsync(async () => await cluster.FindPoolAsync("desk") is null, "the pool is gone after the grace", Ct, Bound);
        await WaitHostsAsync(cluster, "desk", h => h.Count == 0, "no host left");
        var events = await EventsAsync(cluster, all => all.Any(e => e.Reason == "HostDeleted") && all.Any(e => e.Reason == "PoolDeletionGrace"), "the HostDeleted and PoolDeletionGrace events");
        var cut = Assert.Single(events, e => e.Reason == "HostDeleted" && e.Message.Contains(busy, StringComparison.Ordinal));
        Assert.Equal("Warning", cut.Type);
        Assert.Contains("1 session(s) cut", cut.Message, StringComparison.Ordinal);
        var warned = Assert.Single(events, e => e.Reason == "PoolDeletionGrace");
        Assert.True(TimeOf(warned) <= TimeOf(cut), $"warned at {TimeOf(warned):O}, cut at {TimeOf(cut):O}");
    }

    [Fact]
    public async Task DeleteStaticPool_NothingToDrain_GoneAtOnce()
    {
        await using var cluster = await PoolCluster.StartAsync();
        var pool = PoolCluster.Pool("static");
        pool.Spec.Template = null;
        pool.Spec.StaticHosts = [new StaticHost { Name = "ts-1", Address = "10.0.0.1" }];
        await cluster.Client.CreateAsync(pool, Ct);
        await Eventually.TrueAsync(async () => (await cluster.FindPoolAsync("static"))?.Metadata.Finalizers?.Contains(PoolFinalizer.Name) == true, "the pool carries the finalizer", Ct, Bound);

        await cluster.Client.DeleteAsync<DesktopPool>("static", PoolCluster.Namespace, null, Ct);

        await Eventually.TrueAsync(async () => await cluster.FindPoolAsync("static") is null, "the static pool is gone", Ct, Bound);
    }

    /// <summary>Events are written in the background: waits (bounded) until they show what the test expects.</summary>
    private static async Task<IReadOnlyList<Corev1Event>> EventsAsync(PoolCluster cluster, Func<IReadOnlyList<Corev1Event>, bool> condition, string what)
    {
        IReadOnlyList<Corev1Event> events = [];
        await Eventually.TrueAsync(async () => condition(events = await cluster.EventsAsync()), what, Ct, Bound);
        return events;
    }

    private static DateTime TimeOf(Corev1Event e) => e.EventTime ?? e.FirstTimestamp ?? e.Metadata.CreationTimestamp ?? DateTime.MinValue;

    private static Task<V1Pod> PodAsync(PoolCluster cluster, string name) => cluster.Client.GetAsync<V1Pod>(name, PoolCluster.Namespace, Ct);

    private static async Task<IReadOnlyList<V1Pod>> WaitHostsAsync(PoolCluster cluster, string pool, Func<IReadOnlyList<V1Pod>, bool> condition, string what)
    {
        IReadOnlyList<V1Pod> hosts = [];
        await Eventually.TrueAsync(async () => condition(hosts = await cluster.HostsAsync(pool)), what, Ct, Bound);
        return hosts;
    }
}
