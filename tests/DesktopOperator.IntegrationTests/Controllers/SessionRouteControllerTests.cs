using System.Text.Json;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Kubelet;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Controllers;

/// <summary>
/// The SessionRoute controller in <c>desktop-operator operator</c> (a process) against the test API server and the
/// simulated kubelet: routes created without a host (as by <c>kubectl apply</c>) bind when a slot is free, expire after
/// the pool's resumeFor, fail when their host is deleted; a route the controller may not bind (no such pool, a pinned
/// host not in the pool or not ready, a user the pool's spec.access refuses) gets a condition and a Warning event.
/// </summary>
public sealed class SessionRouteControllerTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _root = HostLogs.CreateDirectory("route-controller");

    [Fact]
    public async Task PendingRoutes_BindWhenASlotIsFree_FirstComeFirstServed_OwnedByThePool()
    {
        await using var run = await StartAsync();
        var pool = await run.Cluster.Client.CreateAsync(Pool(run.Cluster.Namespace, "desk", maxHosts: 1), Ct);
        var host = await ReadyHostAsync(run);

        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "alice"), Ct);
        var alice = await RouteAsync(run, "desk-alice", r => r.Status?.Phase == SessionRoutePhase.Bound, "alice's route bound");
        Assert.Equal(host.Metadata.Name, alice.Status!.Host);
        Assert.Equal(host.Status.PodIP, alice.Status.HostAddress);
        var owner = Assert.Single(alice.Metadata.OwnerReferences);
        Assert.Equal((pool.Metadata.Uid, true), (owner.Uid, owner.Controller));

        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "bob"), Ct);
        var bob = await RouteAsync(run, "desk-bob", r => Ready(r)?.Reason == ConditionReasons.Queued, "bob's route queued: the only host is full");
        Assert.Equal(SessionRoutePhase.Pending, bob.Status!.Phase);

        await run.Cluster.Client.DeleteAsync<SessionRoute>("desk-alice", run.Cluster.Namespace, null, Ct);
        bob = await RouteAsync(run, "desk-bob", r => r.Status?.Phase == SessionRoutePhase.Bound, "bob's route bound once alice's slot freed");
        Assert.Equal((host.Metadata.Name, "True"), (bob.Status!.Host, Ready(bob)?.Status));
    }

    [Fact]
    public async Task PendingRoutes_PoolScalesUpForThem_AndTheyBindToTheNewHost()
    {
        await using var run = await StartAsync();
        await run.Cluster.Client.CreateAsync(Pool(run.Cluster.Namespace, "desk", maxHosts: 2), Ct);
        await ReadyHostAsync(run);

        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "alice"), Ct);
        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "bob"), Ct);

        var alice = await RouteAsync(run, "desk-alice", r => r.Status?.Phase == SessionRoutePhase.Bound, "alice's route bound");
        var bob = await RouteAsync(run, "desk-bob", r => r.Status?.Phase == SessionRoutePhase.Bound, "bob's route bound on a second host the pool created for it");
        Assert.NotEqual(alice.Status!.Host, bob.Status!.Host);
    }

    [Fact]
    public async Task DisconnectedRoute_ExpiresAfterResumeFor_AndIsDeleted()
    {
        await using var run = await StartAsync();
        await run.Cluster.Client.CreateAsync(Pool(run.Cluster.Namespace, "desk", resumeFor: "2s"), Ct);
        await ReadyHostAsync(run);
        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "alice"), Ct);
        var bound = await RouteAsync(run, "desk-alice", r => r.Status?.Phase == SessionRoutePhase.Bound, "alice's route bound");

        var disconnected = "{\"status\":{\"phase\":\"Disconnected\",\"lastSeen\":" + JsonSerializer.Serialize(DateTimeOffset.UtcNow) + "}}";
        await run.Cluster.Client.PatchAsync<SessionRoute>("desk-alice", run.Cluster.Namespace, new V1Patch(disconnected, V1Patch.PatchType.MergePatch), null, "status", Ct);

        await Eventually.TrueAsync(
            async () => (await run.Cluster.Client.ListAsync<SessionRoute>(run.Cluster.Namespace, null, Ct)).Items.Count == 0,
            () => $"the route expires and is deleted: {run.Operator.ReadOutput()}", Ct, Wait);
        // The recorder writes events from a queue, so they may trail the route's deletion.
        await Eventually.TrueAsync(
            async () =>
            {
                var events = await EventsAsync(run, "desk-alice");
                return events.Any(e => e.Reason == ConditionReasons.ResumeExpired && e.Message.Contains("resumeFor (2s)", StringComparison.Ordinal))
                    && events.Any(e => e.Reason == ConditionReasons.Bound && e.Message.Contains(bound.Status!.Host!, StringComparison.Ordinal));
            },
            "the ResumeExpired and Bound events of alice's route", Ct, Wait);
    }

    [Fact]
    public async Task PinnedHostNotInPool_ConditionNamesSpecHost_AndWarningEvent()
    {
        await using var run = await StartAsync();
        await run.Cluster.Client.CreateAsync(Pool(run.Cluster.Namespace, "desk"), Ct);
        await ReadyHostAsync(run);

        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "alice", host: "desk-nope"), Ct);

        var route = await RouteAsync(run, "desk-alice", r => Ready(r)?.Reason == ConditionReasons.HostNotFound, "HostNotFound on the pinned route");
        Assert.Equal("spec.host: 'desk-nope' is not a host of pool 'desk'", Ready(route)!.Message);
        Assert.Equal((SessionRoutePhase.Pending, (string?)null), (route.Status!.Phase, route.Status.Host));
        Assert.Equal("True", route.Status.Conditions!.Single(c => c.Type == ConditionTypes.Degraded).Status);
        await Eventually.TrueAsync(
            async () => (await EventsAsync(run, "desk-alice")).Any(e => e.Type == "Warning" && e.Reason == ConditionReasons.HostNotFound && e.Message.StartsWith("spec.host:", StringComparison.Ordinal)),
            "a Warning event HostNotFound naming spec.host", Ct, Wait);
    }

    [Fact]
    public async Task HostDeletedUnderABoundRoute_RouteFailed_HostGone()
    {
        // A deleted pod terminates for a while (here 3 s of its 30 s grace) before it is gone and replaced under the same
        // name; with no grace at all, a replacement within the second of the bind is indistinguishable (see RoutePlanner).
        await using var run = await StartAsync(gracePeriodScale: 0.1);
        await run.Cluster.Client.CreateAsync(Pool(run.Cluster.Namespace, "desk"), Ct);
        var host = await ReadyHostAsync(run);
        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "alice"), Ct);
        await RouteAsync(run, "desk-alice", r => r.Status?.Phase == SessionRoutePhase.Bound, "alice's route bound");

        await run.Cluster.Client.DeleteAsync<V1Pod>(host.Metadata.Name, run.Cluster.Namespace, null, Ct);

        var failed = await RouteAsync(run, "desk-alice", r => r.Status?.Phase == SessionRoutePhase.Failed, "the route Failed once its host is deleted");
        Assert.Equal((ConditionReasons.HostGone, $"status.host: host '{host.Metadata.Name}' is gone from pool 'desk'"), (Ready(failed)?.Reason, Ready(failed)?.Message));
        await WarningEventAsync(run, "desk-alice", ConditionReasons.HostGone, $"status.host: host '{host.Metadata.Name}' is gone");
    }

    [Fact]
    public async Task RouteOfAPoolThatDoesNotExist_PoolNotFound_AndWarningEvent()
    {
        await using var run = await StartAsync();

        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "alice"), Ct);

        var route = await RouteAsync(run, "desk-alice", r => Ready(r)?.Reason == ConditionReasons.PoolNotFound, "PoolNotFound on the route of a missing pool");
        Assert.Equal($"spec.pool: DesktopPool 'desk' does not exist in namespace '{run.Cluster.Namespace}'", Ready(route)!.Message);
        Assert.Equal((SessionRoutePhase.Pending, (string?)null), (route.Status!.Phase, route.Status.Host));
        Assert.Equal("True", route.Status.Conditions!.Single(c => c.Type == ConditionTypes.Degraded).Status);
        await WarningEventAsync(run, "desk-alice", ConditionReasons.PoolNotFound, "spec.pool: DesktopPool 'desk' does not exist");
    }

    [Fact]
    public async Task PinnedHostNotReady_HostNotUsable_AndWarningEvent_NotBound()
    {
        // Readiness probed at the pod address, where nothing listens: the pool's host runs but never becomes Ready.
        await using var run = await StartAsync(probeReadiness: true);
        await run.Cluster.Client.CreateAsync(Pool(run.Cluster.Namespace, "desk", maxHosts: 1), Ct);
        var host = await RunningHostAsync(run);

        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "alice", host: host.Metadata.Name), Ct);

        var route = await RouteAsync(run, "desk-alice", r => Ready(r)?.Reason == ConditionReasons.HostNotUsable, "HostNotUsable on the route pinned to a host that is not ready");
        Assert.Equal($"spec.host: host '{host.Metadata.Name}' is not ready", Ready(route)!.Message);
        Assert.Equal((SessionRoutePhase.Pending, (string?)null), (route.Status!.Phase, route.Status.Host));
        await WarningEventAsync(run, "desk-alice", ConditionReasons.HostNotUsable, $"spec.host: host '{host.Metadata.Name}' is not ready");
    }

    [Fact]
    public async Task PinnedRouteOfAUserThePoolsAccessRefuses_AccessDenied_AndWarningEvent_NotBound()
    {
        await using var run = await StartAsync();
        await run.Cluster.Client.CreateAsync(Pool(run.Cluster.Namespace, "desk", users: ["bob"]), Ct);
        var host = await ReadyHostAsync(run);

        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "alice", host: host.Metadata.Name), Ct);
        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "bob", host: host.Metadata.Name), Ct);

        var denied = await RouteAsync(run, "desk-alice", r => Ready(r)?.Reason == ConditionReasons.AccessDenied, "AccessDenied on alice's pinned route");
        Assert.Equal("spec.user: 'alice' may not use pool 'desk': not in its spec.access.users, and spec.access lists no groups", Ready(denied)!.Message);
        Assert.Equal((SessionRoutePhase.Pending, (string?)null), (denied.Status!.Phase, denied.Status.Host));
        Assert.Equal("True", denied.Status.Conditions!.Single(c => c.Type == ConditionTypes.Degraded).Status);
        await WarningEventAsync(run, "desk-alice", ConditionReasons.AccessDenied, "spec.user: 'alice' may not use pool 'desk'");

        // The listed user's route to the same host binds: the refusal is alice's, not the host's.
        var bob = await RouteAsync(run, "desk-bob", r => r.Status?.Phase == SessionRoutePhase.Bound, "bob's pinned route bound");
        Assert.Equal(host.Metadata.Name, bob.Status!.Host);
    }

    [Fact]
    public async Task HostReplacedUnderTheSameName_TimesCannotTellThemApart_RouteFailedByUid()
    {
        await using var run = await StartAsync();
        await run.Cluster.Client.CreateAsync(Pool(run.Cluster.Namespace, "desk"), Ct);
        var host = await ReadyHostAsync(run);
        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "alice"), Ct);
        var bound = await RouteAsync(run, "desk-alice", r => r.Status?.Phase == SessionRoutePhase.Bound, "alice's route bound");
        Assert.Equal((host.Metadata.Name, host.Metadata.Uid), (bound.Status!.Host, bound.Status.HostUid));

        // With the operator down, the pod is deleted and a new one created under its name (a fast delete/create, a
        // static name); the route says it was bound later than that (as a bind in the same second as the replacement
        // would), so only the uid tells the new pod from the one the route was bound to.
        await run.Operator.DisposeAsync();
        var boundLater = "{\"status\":{\"boundAt\":" + JsonSerializer.Serialize(DateTimeOffset.UtcNow.AddHours(1)) + "}}";
        await run.Cluster.Client.PatchAsync<SessionRoute>("desk-alice", run.Cluster.Namespace, new V1Patch(boundLater, V1Patch.PatchType.MergePatch), null, "status", Ct);
        await run.Cluster.Client.DeleteAsync<V1Pod>(host.Metadata.Name, run.Cluster.Namespace, null, Ct);
        await Eventually.TrueAsync(
            async () => !(await run.Cluster.Client.ListAsync<V1Pod>(run.Cluster.Namespace, null, Ct)).Items.Any(p => p.Metadata.Name == host.Metadata.Name),
            "the old pod is gone", Ct, Wait);
        var replacement = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = host.Metadata.Name, NamespaceProperty = host.Metadata.NamespaceProperty, Labels = host.Metadata.Labels,
                Annotations = host.Metadata.Annotations, OwnerReferences = host.Metadata.OwnerReferences,
            },
            Spec = host.Spec,
        };
        var created = await run.Cluster.Client.CreateAsync(replacement, Ct);
        Assert.NotEqual(host.Metadata.Uid, created.Metadata.Uid);
        await ReadyHostAsync(run);

        await using var restarted = OperatorProcess.Start(run.Cluster, _root);
        var failed = await RouteAsync(run, "desk-alice", r => r.Status?.Phase == SessionRoutePhase.Failed, $"the route Failed: its pod was replaced\n{restarted.ReadOutput()}");
        Assert.Equal(ConditionReasons.HostGone, Ready(failed)?.Reason);
    }

    [Fact]
    public async Task DisconnectedRoute_PinnedToAnotherHost_MovesThere_AndBoundEvent()
    {
        await using var run = await StartAsync();
        await run.Cluster.Client.CreateAsync(Pool(run.Cluster.Namespace, "desk", maxHosts: 2, minHosts: 2), Ct);
        var hosts = await ReadyHostsAsync(run, 2);
        await run.Cluster.Client.CreateAsync(Route(run.Cluster.Namespace, "alice"), Ct);
        var bound = await RouteAsync(run, "desk-alice", r => r.Status?.Phase == SessionRoutePhase.Bound, "alice's route bound");
        var other = hosts.Single(h => h.Metadata.Name != bound.Status!.Host);
        var disconnected = "{\"status\":{\"phase\":\"Disconnected\",\"lastSeen\":" + JsonSerializer.Serialize(DateTimeOffset.UtcNow) + "}}";
        await run.Cluster.Client.PatchAsync<SessionRoute>("desk-alice", run.Cluster.Namespace, new V1Patch(disconnected, V1Patch.PatchType.MergePatch), null, "status", Ct);

        var pin = "{\"spec\":{\"host\":" + JsonSerializer.Serialize(other.Metadata.Name) + "}}";
        await run.Cluster.Client.PatchAsync<SessionRoute>("desk-alice", run.Cluster.Namespace, new V1Patch(pin, V1Patch.PatchType.MergePatch), null, null, Ct);

        var moved = await RouteAsync(run, "desk-alice", r => r.Status?.Host == other.Metadata.Name, "the re-pinned route moved to the other host");
        Assert.Equal((SessionRoutePhase.Bound, other.Status.PodIP, "True"), (moved.Status!.Phase, moved.Status.HostAddress, Ready(moved)?.Status));
        await Eventually.TrueAsync(
            async () => (await EventsAsync(run, "desk-alice")).Any(e => e.Type == "Normal" && e.Reason == ConditionReasons.Bound && e.Message == $"Bound to host {other.Metadata.Name} of pool desk"),
            "a Bound event naming the pinned host", Ct, Wait);
    }

    public void Dispose() => HostLogs.Remove(_root);

    /// <param name="gracePeriodScale">0: deleted pods vanish at once; more: they terminate for part of their grace period, as real pods do.</param>
    /// <param name="probeReadiness">Pods are Ready only while something listens at their address (see <see cref="SimulatedKubeletOptions.ProbeReadiness"/>).</param>
    private async Task<Run> StartAsync(double gracePeriodScale = 0, bool probeReadiness = false)
    {
        var cluster = await KubeCluster.StartAsync(allowReal: false);
        var kubelet = new SimulatedKubelet(
            cluster.TestServer.CreateClient(), new SimulatedKubeletOptions { GracePeriodScale = gracePeriodScale, ProbeReadiness = probeReadiness });
        await kubelet.StartAsync();
        return new Run(cluster, kubelet, OperatorProcess.Start(cluster, _root));
    }

    private static async Task<V1Pod> ReadyHostAsync(Run run)
    {
        V1Pod? ready = null;
        await Eventually.TrueAsync(
            async () =>
            {
                var pods = await run.Cluster.Client.ListAsync<V1Pod>(run.Cluster.Namespace, new ListOptions { LabelSelector = "desktop-operator.io/pool=desk" }, Ct);
                ready = pods.Items.FirstOrDefault(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true && p.Status.PodIP is not null);
                return ready is not null;
            },
            () => $"a ready host: {run.Operator.ReadOutput()}", Ct, Wait);
        return ready!;
    }

    private static async Task<IReadOnlyList<V1Pod>> ReadyHostsAsync(Run run, int count)
    {
        List<V1Pod> ready = [];
        await Eventually.TrueAsync(
            async () =>
            {
                var pods = await run.Cluster.Client.ListAsync<V1Pod>(run.Cluster.Namespace, new ListOptions { LabelSelector = "desktop-operator.io/pool=desk" }, Ct);
                ready = [.. pods.Items.Where(p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true && p.Status.PodIP is not null)];
                return ready.Count >= count;
            },
            () => $"{count} ready hosts: {run.Operator.ReadOutput()}", Ct, Wait);
        return ready;
    }

    /// <summary>A host of pool desk that runs and has an address, Ready or not.</summary>
    private static async Task<V1Pod> RunningHostAsync(Run run)
    {
        V1Pod? running = null;
        await Eventually.TrueAsync(
            async () =>
            {
                var pods = await run.Cluster.Client.ListAsync<V1Pod>(run.Cluster.Namespace, new ListOptions { LabelSelector = "desktop-operator.io/pool=desk" }, Ct);
                running = pods.Items.FirstOrDefault(p => p.Status?.Phase == "Running" && p.Status.PodIP is not null && p.Metadata.DeletionTimestamp is null);
                return running is not null;
            },
            () => $"a running host: {run.Operator.ReadOutput()}", Ct, Wait);
        return running!;
    }

    private static async Task<SessionRoute> RouteAsync(Run run, string name, Func<SessionRoute, bool> condition, string what)
    {
        SessionRoute? last = null;
        await Eventually.TrueAsync(
            async () => condition(last = await run.Cluster.Client.GetAsync<SessionRoute>(name, run.Cluster.Namespace, Ct)),
            what, Ct, Wait);
        return last!;
    }

    private static async Task<IReadOnlyList<Corev1Event>> EventsAsync(Run run, string route) =>
        [.. (await run.Cluster.Client.ListAsync<Corev1Event>(run.Cluster.Namespace, new ListOptions { FieldSelector = $"involvedObject.name={route}" }, Ct)).Items];

    /// <summary>Waits for the Warning Event of <paramref name="reason"/> on the route, its message starting with <paramref name="prefix"/>.</summary>
    private static Task WarningEventAsync(Run run, string route, string reason, string prefix) =>
        Eventually.TrueAsync(
            async () => (await EventsAsync(run, route)).Any(e => e.Type == "Warning" && e.Reason == reason && e.Message.StartsWith(prefix, StringComparison.Ordinal)),
            $"a Warning event {reason} on {route} starting '{prefix}'", Ct, Wait);

    private static V1Condition? Ready(SessionRoute route) => route.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready);

    private static SessionRoute Route(string ns, string user, string? host = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"desk-{user}", NamespaceProperty = ns },
        Spec = new SessionRouteSpec { Pool = "desk", User = user, Host = host },
    };

    private static DesktopPool Pool(string ns, string name, int maxHosts = 4, string resumeFor = "8h", IList<string>? users = null, int minHosts = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new DesktopPoolSpec
        {
            Template = new HostTemplate { Spec = JsonDocument.Parse("""{"containers":[{"name":"desktop","image":"example/vnc:1"}]}""").RootElement.Clone() },
            Protocols = [new ProtocolSpec { Name = "vnc", Kind = ProtocolKind.Vnc, Port = 5901, GatewayPort = 5900 }],
            Capacity = new CapacitySpec { MinHosts = minHosts, MaxHosts = maxHosts, BufferSessions = 0 },
            Affinity = new AffinitySpec { ResumeFor = resumeFor },
            Access = new AccessSpec { Users = users },
        },
    };

    /// <summary>One test's cluster, simulated kubelet and operator process; disposing stops them in reverse order.</summary>
    private sealed record Run(KubeCluster Cluster, SimulatedKubelet Kubelet, ChildProcess Operator) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Operator.DisposeAsync();
            await Kubelet.DisposeAsync();
            await Cluster.DisposeAsync();
        }
    }
}
