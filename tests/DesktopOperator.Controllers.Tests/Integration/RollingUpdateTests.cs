using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Controllers.Pools;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.Controllers.Tests.Integration;

/// <summary>A template change rolls the pool's hosts without cutting a session (test API server, simulated kubelet).</summary>
public sealed class RollingUpdateTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TemplateChange_BusyOutdatedHostDrainsUntilItsRouteEnds_NewHostsWithinSurge_StatusCounts()
    {
        await using var cluster = await PoolCluster.StartAsync(new PoolReconcilerOptions { MaxSurge = 1 });
        await cluster.Client.CreateAsync(PoolCluster.Pool("desk", min: 2, buffer: 0), Ct);
        var old = await HostsAsync(cluster, h => h.Count == 2 && h.All(HostViews.IsReady), "two ready hosts");
        var oldHash = old[0].Metadata.Labels[HostLabels.TemplateHash];
        var busy = old[0].Metadata.Name;
        await DesktopPoolControllerTests.BindRouteAsync(cluster, "alice", "desk", busy);
        await Eventually.TrueAsync(async () => (await cluster.Client.GetAsync<V1Pod>(busy, PoolCluster.Namespace, Ct)).Metadata.Labels.ContainsKey(HostLabels.Busy), "the busy label", Ct, Bound);

        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"desktop","image":"example/xrdp:2"}]}}}}""";
        await cluster.Client.PatchAsync<DesktopPool>("desk", PoolCluster.Namespace, new V1Patch(patch, V1Patch.PatchType.MergePatch), null, null, Ct);

        // Sampled while the update runs: new-template hosts never exceed desired (2) + maxSurge (1).
        var mostUpdated = 0;
        var rolled = await HostsAsync(cluster, h =>
        {
            mostUpdated = Math.Max(mostUpdated, h.Count(p => p.Metadata.DeletionTimestamp is null && p.Metadata.Labels[HostLabels.TemplateHash] != oldHash));
            return h.Count == 3 && h.Count(p => p.Metadata.Labels[HostLabels.TemplateHash] != oldHash && HostViews.IsReady(p)) == 2
                && h.Any(p => p.Metadata.Name == busy && Label(p, HostLabels.Draining) == DrainReason.Outdated);
        }, "two ready new hosts, the busy outdated one draining, the empty outdated one gone");
        Assert.True(mostUpdated <= 3, $"{mostUpdated} new-template hosts at once");
        Assert.Null(rolled.Single(p => p.Metadata.Name == busy).Metadata.DeletionTimestamp);
        var status = await PoolAsync(cluster, p => p.Status is { ObservedGeneration: 2, UpdatedHosts: 2, OutdatedHosts: 1, DrainingHosts: 1 }, "status: 2 updated, 1 outdated draining");
        Assert.Equal(3, status.Status!.TotalHosts);
        Assert.Contains(status.Status.Conditions!, c => c.Type == ConditionTypes.Progressing && c.Reason == ConditionReasons.RollingUpdate);

        await cluster.Client.DeleteAsync<SessionRoute>("desk-alice", PoolCluster.Namespace, null, Ct);

        var done = await HostsAsync(cluster, h => h.Count == 2 && h.All(p => p.Metadata.Labels[HostLabels.TemplateHash] != oldHash), "the outdated host deleted once its route ended");
        Assert.DoesNotContain(done, p => p.Metadata.Name == busy);
        await PoolAsync(cluster, p => p.Status is { UpdatedHosts: 2, OutdatedHosts: 0, DrainingHosts: 0, TotalHosts: 2 }, "status: 2 updated, none outdated");
    }

    private static string? Label(V1Pod pod, string key) => pod.Metadata.Labels.TryGetValue(key, out var value) ? value : null;

    private static async Task<IReadOnlyList<V1Pod>> HostsAsync(PoolCluster cluster, Func<IReadOnlyList<V1Pod>, bool> condition, string what)
    {
        IReadOnlyList<V1Pod> hosts = [];
        await Eventually.TrueAsync(async () => condition(hosts = await cluster.HostsAsync("desk")), what, Ct, Bound);
        return hosts;
    }

    private static async Task<DesktopPool> PoolAsync(PoolCluster cluster, Func<DesktopPool, bool> condition, string what)
    {
        DesktopPool? pool = null;
        await Eventually.TrueAsync(async () => (pool = await cluster.FindPoolAsync("desk")) is { } p && condition(p), what, Ct, Bound);
        return pool!;
    }
}
