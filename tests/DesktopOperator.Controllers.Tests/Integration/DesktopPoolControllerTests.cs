using System.Diagnostics;
using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Controllers.Pools;
using DesktopOperator.Kube.Client;
using k8s.Models;

namespace DesktopOperator.Controllers.Tests.Integration;

/// <summary>The DesktopPool controller against the test API server with a simulated kubelet working through the API.</summary>
public sealed class DesktopPoolControllerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task NewPool_CreatesDesiredHosts_OwnedLabelledSpreadProbed_StatusReady()
    {
        await using var cluster = await PoolCluster.StartAsync();
        var pool = await cluster.Client.CreateAsync(PoolCluster.Pool("desk", min: 2), Ct);

        var hosts = await WaitForAsync(() => cluster.HostsAsync("desk"), h => h.Count == 2 && h.All(HostViews.IsReady), "two ready hosts");
        var status = await WaitForAsync(() => GetPoolAsync(cluster, "desk"), p => p.Status?.ReadyHosts == 2, "status with two ready hosts");

        foreach (var pod in hosts)
        {
            Assert.StartsWith("desk-", pod.Metadata.Name, StringComparison.Ordinal);
            Assert.Equal(TemplateHash.Compute(pool.Spec.Template!), pod.Metadata.Labels[HostLabels.TemplateHash]);
            var owner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.True(owner.Controller);
            Assert.Equal(pool.Metadata.Uid, owner.Uid);
            Assert.Equal(HostPodBuilder.HostnameTopologyKey, Assert.Single(pod.Spec.TopologySpreadConstraints).TopologyKey);
            Assert.Equal("3389", pod.Spec.Containers[0].ReadinessProbe.TcpSocket.Port.Value);
        }

        Assert.Equal(1, status.Status!.ObservedGeneration);
        Assert.Equal(2, status.Status.TotalHosts);
        Assert.Equal(2, status.Status.FreeSlots);
        var ready = Assert.Single(status.Status.Conditions!, c => c.Type == ConditionTypes.Ready);
        Assert.Equal(("True", ConditionReasons.HostsReady), (ready.Status, ready.Reason));
    }

    [Fact]
    public async Task RouteBoundToHost_HostLabelledBusy_AndPoolScalesUpToKeepTheBuffer()
    {
        await using var cluster = await PoolCluster.StartAsync();
        await cluster.Client.CreateAsync(PoolCluster.Pool("desk", min: 1, buffer: 1), Ct);
        var first = (await WaitForAsync(() => cluster.HostsAsync("desk"), h => h.Count == 1 && h.All(HostViews.IsReady), "one ready host"))[0];

        await BindRouteAsync(cluster, "alice", "desk", first.Metadata.Name);

        var hosts = await WaitForAsync(() => cluster.HostsAsync("desk"), h => h.Count == 2, "a second host for the buffer");
        var busy = hosts.Single(h => h.Metadata.Name == first.Metadata.Name);
        await WaitForAsync(
            async () => await cluster.Client.GetAsync<V1Pod>(first.Metadata.Name, PoolCluster.Namespace, Ct),
            p => p.Metadata.Labels.TryGetValue(HostLabels.Busy, out var v) && v == HostLabels.TrueValue,
            "the busy label on the host with the route");
        Assert.Equal(2, hosts.Count);
    }

    [Fact]
    public async Task NodeDrain_BusyHostEvictionRefusedByBudget_EmptyHostEvictedAndReplaced()
    {
        await using var cluster = await PoolCluster.StartAsync();
        await cluster.Client.CreateAsync(PoolCluster.Pool("desk", min: 2, buffer: 0), Ct);
        var hosts = await WaitForAsync(() => cluster.HostsAsync("desk"), h => h.Count == 2 && h.All(HostViews.IsReady), "two ready hosts");
        var (busy, empty) = (hosts[0].Metadata.Name, hosts[1].Metadata.Name);
        // A replacement may take the evicted pod's name once it is gone (names are deterministic): identity is the uid.
        var (busyUid, emptyUid) = (hosts[0].Metadata.Uid, hosts[1].Metadata.Uid);
        await BindRouteAsync(cluster, "alice", "desk", busy);
        await WaitForAsync(
            () => cluster.Client.GetAsync<V1Pod>(busy, PoolCluster.Namespace, Ct),
            p => p.Metadata.Labels.ContainsKey(HostLabels.Busy), "the busy label");
        var budget = await WaitForAsync(
            () => cluster.Client.GetAsync<V1PodDisruptionBudget>(BusyHostBudget.NameFor("desk"), PoolCluster.Namespace, Ct),
            b => b.Status?.ExpectedPods == 1 && b.Status.CurrentHealthy == 1, "the budget selects the one busy host");
        Assert.Equal(0, budget.Status.DisruptionsAllowed);
        Assert.DoesNotContain(budget.Status.Conditions, c => c.Reason == "SyncFailed");

        using var http = cluster.Server.CreateClient();
        var refused = await EvictAsync(http, busy);
        var evicted = await EvictAsync(http, empty);

        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Created, evicted.StatusCode);
        await WaitForAsync(
            () => cluster.HostsAsync("desk"),
            h => h.Count == 2 && h.Any(p => p.Metadata.Uid == busyUid) && h.All(p => p.Metadata.Uid != emptyUid) && h.All(HostViews.IsReady),
            $"the evicted empty host {empty} is replaced, the busy one {busy} stays",
            Describe);
    }

    private static string Describe(IReadOnlyList<V1Pod> hosts) => string.Join(", ", hosts.Select(p =>
        $"{p.Metadata.Name} uid={p.Metadata.Uid} phase={p.Status?.Phase} ready={HostViews.IsReady(p)} terminating={p.Metadata.DeletionTimestamp is not null} ip={p.Status?.PodIP}"));

    private static Task<HttpResponseMessage> EvictAsync(HttpClient http, string pod)
    {
        var body = "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"" + pod + "\",\"namespace\":\"" + PoolCluster.Namespace + "\"}}";
        return http.PostAsync($"api/v1/namespaces/{PoolCluster.Namespace}/pods/{pod}/eviction", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
    }

    [Fact]
    public async Task SessionEnds_SurplusEmptyHostDrainsAfterDelayAndIsDeleted_BusyHostKept()
    {
        await using var cluster = await PoolCluster.StartAsync();
        await cluster.Client.CreateAsync(PoolCluster.Pool("desk", min: 1, buffer: 1, scaleDownDelay: "1s"), Ct);
        var first = (await WaitForAsync(() => cluster.HostsAsync("desk"), h => h.Count == 1 && h.All(HostViews.IsReady), "one ready host"))[0].Metadata.Name;
        await BindRouteAsync(cluster, "alice", "desk", first);
        var two = await WaitForAsync(() => cluster.HostsAsync("desk"), h => h.Count == 2 && h.All(HostViews.IsReady), "a second host for the buffer");
        await BindRouteAsync(cluster, "bob", "desk", two.Single(h => h.Metadata.Name != first).Metadata.Name);
        await WaitForAsync(() => cluster.HostsAsync("desk"), h => h.Count == 3 && h.All(HostViews.IsReady), "a third host for the buffer");

        await cluster.Client.DeleteAsync<SessionRoute>("desk-bob", PoolCluster.Namespace, null, Ct);

        var left = await WaitForAsync(() => cluster.HostsAsync("desk"), h => h.Count == 2, "two hosts left after the scale-down delay");
        Assert.Contains(left, h => h.Metadata.Name == first);
        // The recorder writes events from a queue, so the HostDeleted event may trail the pod's deletion.
        await WaitForAsync(
            cluster.EventsAsync,
            events => events.Any(e => e.Reason == "HostDraining" && e.Message.Contains("ScaleDown", StringComparison.Ordinal))
                && events.Any(e => e.Reason == "HostDeleted" && e.Message.Contains("Drained", StringComparison.Ordinal)),
            "the HostDraining (ScaleDown) and HostDeleted (Drained) events",
            events => string.Join("; ", events.Select(e => $"{e.Reason}: {e.Message}")));
    }

    [Fact]
    public async Task StaticPool_GetsNoPods_StatusListsItsHosts()
    {
        await using var cluster = await PoolCluster.StartAsync();
        var pool = PoolCluster.Pool("static");
        pool.Spec.Template = null;
        pool.Spec.StaticHosts = [new StaticHost { Name = "ts-1", Address = "10.0.0.1" }];
        await cluster.Client.CreateAsync(pool, Ct);

        var status = await WaitForAsync(() => GetPoolAsync(cluster, "static"), p => p.Status?.ObservedGeneration == 1, "the static pool's status");

        Assert.Equal(1, status.Status!.TotalHosts);
        Assert.Empty(await cluster.HostsAsync("static"));
    }

    internal static async Task BindRouteAsync(PoolCluster cluster, string user, string pool, string host)
    {
        var route = new SessionRoute
        {
            Metadata = new V1ObjectMeta { Name = $"{pool}-{user}", NamespaceProperty = PoolCluster.Namespace },
            Spec = new SessionRouteSpec { Pool = pool, User = user },
        };
        await cluster.Client.CreateAsync(route, Ct);
        var body = "{\"status\":{\"phase\":\"Active\",\"host\":\"" + host + "\",\"activeConnections\":1}}";
        await cluster.Client.PatchAsync<SessionRoute>(route.Metadata.Name, PoolCluster.Namespace, new V1Patch(body, V1Patch.PatchType.MergePatch), null, "status", Ct);
    }

    private static Task<DesktopPool> GetPoolAsync(PoolCluster cluster, string name) => cluster.Client.GetAsync<DesktopPool>(name, PoolCluster.Namespace, Ct);

    /// <summary>
    /// Polls an API read until the condition holds (bounded), returning the last value read. The bound is generous (a
    /// pass takes a few seconds alone) because CI runs the test projects side by side on 2 cores; on timeout the
    /// message shows the last value read (<paramref name="describe"/>), so a failure says what the test saw.
    /// </summary>
    internal static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, Func<T, string>? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(45))
            {
                throw new TimeoutException($"timed out waiting for: {what}; last seen: {describe?.Invoke(value) ?? value?.ToString()}");
            }

            await Task.Delay(20);
        }
    }
}
