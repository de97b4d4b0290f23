using DesktopOperator.Testing;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.Waiting;
using k8s;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Kube;

/// <summary>
/// Every verb of the typed client over HTTP, against the TestApiServer (or the real cluster named by
/// DESKTOP_OPERATOR_TEST_KUBECONFIG, with the CRDs installed).
/// </summary>
public sealed class TypedVerbTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task SessionRoute_CreateGetReplaceStatusDelete_RoundTrips()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var client = cluster.Client;

        var created = await client.CreateAsync(Route(cluster.Namespace, "r1", "alice"), Ct);
        var fetched = await client.GetAsync<SessionRoute>("r1", cluster.Namespace, Ct);
        fetched.Spec.Host = "host-2";
        var replaced = await client.ReplaceAsync(fetched, Ct);
        replaced.Status = new SessionRouteStatus { Phase = SessionRoutePhase.Bound, Host = "host-2", ObservedGeneration = replaced.Metadata.Generation };
        var withStatus = await client.ReplaceStatusAsync(replaced, Ct);
        var deleted = await client.DeleteAsync<SessionRoute>("r1", cluster.Namespace, null, Ct);

        Assert.Equal(created.Metadata.Uid, fetched.Metadata.Uid);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.Equal(2, replaced.Metadata.Generation);
        Assert.Equal("host-2", replaced.Spec.Host);
        Assert.Equal(SessionRoutePhase.Bound, withStatus.Status?.Phase);
        Assert.Equal(2, withStatus.Metadata.Generation); // a status write does not bump the generation
        Assert.True(deleted is null || deleted.Metadata.DeletionTimestamp is not null);
        await Assert.ThrowsAsync<KubeNotFoundException>(() => client.GetAsync<SessionRoute>("r1", cluster.Namespace, Ct));
    }

    [Fact]
    public async Task SessionRoute_MergeJsonAndApplyPatches_ChangeWhatTheySay()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var client = cluster.Client;
        var ns = cluster.Namespace;
        await client.CreateAsync(Route(ns, "r1", "alice"), Ct);

        var merged = await client.PatchAsync<SessionRoute>("r1", ns, new V1Patch("""{"metadata":{"labels":{"a":"1"}},"spec":{"host":"h-1"}}""", V1Patch.PatchType.MergePatch), null, null, Ct);
        var jsonPatched = await client.PatchAsync<SessionRoute>("r1", ns, new V1Patch("""[{"op":"replace","path":"/spec/host","value":"h-2"}]""", V1Patch.PatchType.JsonPatch), null, null, Ct);
        var statusPatched = await client.PatchAsync<SessionRoute>("r1", ns, new V1Patch("""{"status":{"phase":"Pending"}}""", V1Patch.PatchType.MergePatch), null, "status", Ct);
        var apply = """{"apiVersion":"desktop-operator.io/v1alpha1","kind":"SessionRoute","metadata":{"name":"r1"},"spec":{"pool":"p","user":"alice","host":"h-3"}}""";
        var conflict = await Assert.ThrowsAsync<KubeConflictException>(() =>
            client.PatchAsync<SessionRoute>("r1", ns, new V1Patch(apply, V1Patch.PatchType.ApplyPatch), new PatchOptions { FieldManager = "other" }, null, Ct));
        var applied = await client.PatchAsync<SessionRoute>("r1", ns, new V1Patch(apply, V1Patch.PatchType.ApplyPatch), new PatchOptions { FieldManager = "other", Force = true }, null, Ct);

        Assert.Equal("h-1", merged.Spec.Host);
        Assert.Equal("1", merged.Metadata.Labels?["a"]);
        Assert.Equal("h-2", jsonPatched.Spec.Host);
        Assert.Equal(SessionRoutePhase.Pending, statusPatched.Status?.Phase);
        Assert.Equal(409, conflict.StatusCode);
        Assert.Equal("h-3", applied.Spec.Host);
        Assert.Contains(applied.Metadata.ManagedFields!, f => f.Manager == "other");
    }

    [Fact]
    public async Task DesktopPool_CreateFromSample_GetsDefaults()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var pool = DesktopOperator.Api.Yaml.ResourceYaml.Load<DesktopPool>(File.ReadAllText(RepositoryPaths.PathOf("config", "samples", "desktoppool-rdp.yaml")), "desktoppool-rdp.yaml");
        pool.Metadata.NamespaceProperty = cluster.Namespace;

        var created = await cluster.Client.CreateAsync(pool, Ct);
        var list = await cluster.Client.ListAsync<DesktopPool>(cluster.Namespace, null, Ct);

        Assert.Equal("rdp-desktops", Assert.Single(list.Items).Metadata.Name);
        Assert.Equal(pool.Spec.Capacity.MaxHosts, created.Spec.Capacity.MaxHosts);
    }

    [Fact]
    public async Task Pods_ListWithSelectorsAndPaging_ReturnsEachMatchOnce()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var ns = cluster.Namespace;
        for (var i = 0; i < 7; i++)
        {
            await cluster.Client.CreateAsync(Pod(ns, $"p{i}", i % 2 == 0 ? "even" : "odd"), Ct);
        }

        var names = new List<string>();
        var pages = 0;
        string? next = null;
        do
        {
            var page = await cluster.Client.ListAsync<V1Pod>(ns, new ListOptions { LabelSelector = "parity=even", Limit = 2, Continue = next }, Ct);
            names.AddRange(page.Items.Select(p => p.Metadata.Name!));
            next = page.Metadata.ContinueProperty;
            pages++;
        }
        while (!string.IsNullOrEmpty(next));
        var byField = await cluster.Client.ListAsync<V1Pod>(ns, new ListOptions { FieldSelector = "metadata.name=p3" }, Ct);
        var both = await cluster.Client.ListAsync<V1Pod>(ns, new ListOptions { LabelSelector = "parity in (odd)", FieldSelector = "metadata.name!=p1" }, Ct);

        Assert.Equal(["p0", "p2", "p4", "p6"], names);
        Assert.Equal(2, pages);
        Assert.Equal("p3", Assert.Single(byField.Items).Metadata.Name);
        Assert.Equal(["p3", "p5"], both.Items.Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Pods_WatchFromListVersion_SeesChangesInOrderAndStopsCleanly()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var ns = cluster.Namespace;
        await cluster.Client.CreateAsync(Pod(ns, "before", "x"), Ct);
        var list = await cluster.Client.ListAsync<V1Pod>(ns, null, Ct);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<(WatchEventType Type, string Name, bool Deleting)>();

        // Bookmarks are allowed but best effort (a real server may send none): they are skipped, never awaited.
        var watching = Task.Run(async () =>
        {
            var options = new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion, AllowBookmarks = true };
            await foreach (var e in cluster.Client.WatchAsync<V1Pod>(ns, options, stop.Token))
            {
                if (e.Type != WatchEventType.Bookmark)
                {
                    lock (seen)
                    {
                        seen.Add((e.Type, e.Resource.Metadata.Name!, e.Resource.Metadata.DeletionTimestamp is not null));
                    }
                }

                if (seen.Count >= 4)
                {
                    stop.Cancel();
                }
            }
        });
        var pod = await cluster.Client.CreateAsync(Pod(ns, "w1", "x"), Ct);
        pod.Metadata.Labels!["parity"] = "y";
        await cluster.Client.ReplaceAsync(pod, Ct);
        await cluster.Client.DeleteAsync<V1Pod>("w1", ns, new DeleteOptions { GracePeriodSeconds = 0 }, Ct);
        await watching; // cancellation ends the enumeration without an exception

        Assert.False(stop.IsCancellationRequested && seen.Count < 4, "the watch was cut by the deadline");

        // An immediate pod delete (unscheduled, grace 0) is MODIFIED with deletionTimestamp, then DELETED (transcript 16).
        Assert.Equal([(WatchEventType.Added, "w1", false), (WatchEventType.Modified, "w1", false), (WatchEventType.Modified, "w1", true), (WatchEventType.Deleted, "w1", true)], seen.Take(4));
        Assert.False(seen.Exists(e => e.Name == "before"));
    }

    [Fact]
    public async Task LeaseAndEvent_CreateUpdateList_RoundTripTheirFields()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var ns = cluster.Namespace;
        var now = DateTime.UtcNow;
        var lease = await cluster.Client.CreateAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "l1", NamespaceProperty = ns },
            Spec = new V1LeaseSpec { HolderIdentity = "a", LeaseDurationSeconds = 15, RenewTime = now, AcquireTime = now, LeaseTransitions = 0 },
        }, Ct);
        lease.Spec!.HolderIdentity = "b";
        lease.Spec.LeaseTransitions = 1;
        var updated = await cluster.Client.ReplaceAsync(lease, Ct);
        await cluster.Client.CreateAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "e1", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference { Kind = "Lease", Name = "l1", NamespaceProperty = ns, Uid = lease.Metadata.Uid },
            Reason = "Testing",
            Message = "hello",
            Type = "Normal",
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
        }, Ct);
        var events = await cluster.Client.ListAsync<Corev1Event>(ns, new ListOptions { FieldSelector = "involvedObject.name=l1" }, Ct);

        Assert.Equal("b", updated.Spec!.HolderIdentity);
        Assert.Equal(1, updated.Spec.LeaseTransitions);
        Assert.Equal(now.Ticks / TimeSpan.TicksPerSecond, updated.Spec.RenewTime!.Value.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond);
        Assert.Equal("hello", Assert.Single(events.Items).Message);
    }

    [Fact]
    public async Task Delete_WithPropagationAndPreconditions_BehavesAsAsked()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var ns = cluster.Namespace;
        var owner = await cluster.Client.CreateAsync(Route(ns, "owner", "alice"), Ct);
        var orphanOwner = await cluster.Client.CreateAsync(Route(ns, "orphan-owner", "bob"), Ct);
        await cluster.Client.CreateAsync(Owned(Pod(ns, "child", "x"), owner), Ct);
        await cluster.Client.CreateAsync(Owned(Pod(ns, "orphan", "x"), orphanOwner), Ct);

        var wrongUid = await Assert.ThrowsAsync<KubeConflictException>(() =>
            cluster.Client.DeleteAsync<SessionRoute>("owner", ns, new DeleteOptions { PreconditionUid = "not-the-uid" }, Ct));
        var staleRv = await Assert.ThrowsAsync<KubeConflictException>(() =>
            cluster.Client.DeleteAsync<SessionRoute>("owner", ns, new DeleteOptions { PreconditionResourceVersion = "1" }, Ct));
        await cluster.Client.DeleteAsync<SessionRoute>("owner", ns, new DeleteOptions { PreconditionUid = owner.Metadata.Uid, PropagationPolicy = "Background" }, Ct);
        await cluster.Client.DeleteAsync<SessionRoute>("orphan-owner", ns, new DeleteOptions { PropagationPolicy = "Orphan" }, Ct);

        await Eventually.TrueAsync(async () => !await ExistsAsync(cluster, "child"), "the background GC deletes the dependent", Ct);
        await Eventually.TrueAsync(
            async () => !await ExistsAsync(cluster, "orphan-owner", route: true)
                && (await cluster.Client.GetAsync<V1Pod>("orphan", ns, Ct)).Metadata.OwnerReferences is null or { Count: 0 },
            "the orphaned dependent loses its owner reference",
            Ct);
        Assert.Equal(409, wrongUid.StatusCode);
        Assert.Equal(409, staleRv.StatusCode);
    }

    internal static SessionRoute Route(string ns, string name, string user) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new SessionRouteSpec { Pool = "p", User = user, Protocol = "rdp" },
    };

    internal static V1Pod Pod(string ns, string name, string parity) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["parity"] = parity } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };

    private static V1Pod Owned(V1Pod pod, SessionRoute owner)
    {
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = owner.ApiVersion!, Kind = owner.Kind!, Name = owner.Metadata.Name!, Uid = owner.Metadata.Uid! }];
        return pod;
    }

    private static async Task<bool> ExistsAsync(KubeCluster cluster, string name, bool route = false)
    {
        try
        {
            _ = route
                ? await cluster.Client.GetAsync<SessionRoute>(name, cluster.Namespace, Ct)
                : await cluster.Client.GetAsync<V1Pod>(name, cluster.Namespace, Ct) as IKubernetesObject<V1ObjectMeta>;
            return true;
        }
        catch (KubeNotFoundException)
        {
            return false;
        }
    }
}
