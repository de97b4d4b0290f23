using System.Diagnostics.Metrics;
using System.Text.Json;
using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Controllers.Pools;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime;
using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Testing.Time;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Controllers.Tests.Pools.AtScale;

/// <summary>
/// One template pool of a given <see cref="PoolShape"/> in the caches the real <see cref="DesktopPoolReconciler"/>
/// reads, its writes applied by <see cref="InMemoryPoolApi"/> and counted by <see cref="CountingKubernetesClient"/>
/// and <see cref="CountingEventRecorder"/>, with steps that change one thing (a route ends, sessions arrive, the
/// template changes). <see cref="CreateAsync"/> returns it settled: a further reconcile has nothing to do.
/// Shared by the write-count tests and the reconcile benchmark (linked into DesktopOperator.Benchmarks).
/// </summary>
internal sealed class PoolAtScale
{
    public const string Namespace = "desktops";
    public const string PoolName = "office";
    private readonly PoolShape _shape;
    private readonly DesktopPoolReconciler _reconciler;
    private int _podsMade;

    private PoolAtScale(PoolShape shape)
    {
        _shape = shape;
        Client = new CountingKubernetesClient(new InMemoryPoolApi(Pools, Pods, Budgets, Run, Time));
        var caches = new PoolCaches(Pools, Pods, Routes, Nodes, Budgets);
        var options = new PoolReconcilerOptions { MaxSurge = shape.MaxSurge };
        _reconciler = new DesktopPoolReconciler(caches, Client, Events, options, Time, NullLogger<DesktopPoolReconciler>.Instance, PoolDecisions.On(Meter));
    }

    /// <summary>The meter of this pool's <c>operator_pool_decisions_total</c> (nobody listens unless a test does).</summary>
    public Meter Meter { get; } = new("DesktopOperator.Controllers.Tests.PoolAtScale");

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));

    public IndexedStore<DesktopPool> Pools { get; } = new();

    public IndexedStore<V1Pod> Pods { get; } = new();

    public IndexedStore<SessionRoute> Routes { get; } = new(PoolCaches.RouteIndexers);

    public IndexedStore<V1Node> Nodes { get; } = new();

    public IndexedStore<V1PodDisruptionBudget> Budgets { get; } = new();

    public CountingKubernetesClient Client { get; }

    public CountingEventRecorder Events { get; } = new();

    public static ObjectKey Key { get; } = new(Namespace, PoolName);

    public DesktopPool Pool => Pools.GetByKey(Key)!;

    /// <summary>API writes plus Events since the last <see cref="ResetCounts"/>.</summary>
    public int Writes => Client.Writes + Events.Count;

    public static async Task<PoolAtScale> CreateAsync(PoolShape shape)
    {
        var fixture = new PoolAtScale(shape);
        fixture.Fill();
        await fixture.SettleAsync(maxPasses: 3);
        fixture.ResetCounts();
        return fixture;
    }

    public Task<ReconcileResult> ReconcileAsync() => _reconciler.ReconcileAsync(Key, CancellationToken.None);

    /// <summary>Reconciles until a pass writes nothing; returns the passes that wrote. Throws past <paramref name="maxPasses"/>.</summary>
    public async Task<int> SettleAsync(int maxPasses)
    {
        for (var pass = 0; pass < maxPasses; pass++)
        {
            var before = Writes;
            await ReconcileAsync();
            if (Writes == before)
            {
                return pass;
            }
        }

        throw new InvalidOperationException($"the pool still writes after {maxPasses} reconciles");
    }

    public void ResetCounts()
    {
        Client.Reset();
        Events.Reset();
    }

    /// <summary>Hosts in name order with the number of routes bound to each.</summary>
    public IReadOnlyList<(string Host, int Bound)> Hosts()
    {
        var counts = RouteCounts.Count(Routes.List());
        return [.. Pods.List().Select(p => (p.Metadata.Name, counts.BoundTo(p.Metadata.Name))).OrderBy(h => h.Name, StringComparer.Ordinal)];
    }

    /// <summary>One route bound to <paramref name="host"/> expires (the session ended).</summary>
    public void EndRouteOn(string host)
    {
        var route = Routes.List().First(r => r.Status?.Host == host && r.Status.Phase is SessionRoutePhase.Active or SessionRoutePhase.Disconnected);
        var ended = KubeJson.Deserialize<SessionRoute>(KubeJson.Serialize(route));
        ended.Status!.Phase = SessionRoutePhase.Expired;
        Routes.Upsert(ended);
    }

    /// <summary><paramref name="count"/> new sessions wait for a host (Pending).</summary>
    public void AddPendingRoutes(int count)
    {
        var first = Routes.Count;
        for (var i = 0; i < count; i++)
        {
            Routes.Upsert(Route(first + i, SessionRoutePhase.Pending, host: null));
        }
    }

    /// <summary>A node is cordoned (<c>kubectl cordon</c>, the start of a node drain): its hosts are to drain.</summary>
    public void CordonNode(string node) =>
        Nodes.Upsert(new V1Node { Metadata = new V1ObjectMeta { Name = node, ResourceVersion = "2" }, Spec = new V1NodeSpec { Unschedulable = true } });

    /// <summary>The pool's template changes (a new image): every host is outdated.</summary>
    public void ChangeTemplate(string image)
    {
        var pool = KubeJson.Deserialize<DesktopPool>(KubeJson.Serialize(Pool));
        pool.Spec.Template!.Spec = ContainerSpec(image);
        pool.Metadata.Generation += 1;
        Pools.Upsert(pool);
    }

    private void Fill()
    {
        for (var n = 0; n < _shape.Nodes; n++)
        {
            Nodes.Upsert(new V1Node { Metadata = new V1ObjectMeta { Name = $"node-{n}", ResourceVersion = "1" }, Spec = new V1NodeSpec() });
        }

        var pool = MakePool();
        Pools.Upsert(pool);
        Budgets.Upsert(BusyHostBudget.Build(pool));
        var hash = TemplateHash.Compute(pool.Spec.Template!);
        var names = HostNames.Next(PoolName, hash, new HashSet<string>(), _shape.Hosts);
        var created = Time.GetUtcNow() - TimeSpan.FromDays(1);
        var route = 0;
        for (var i = 0; i < names.Count; i++)
        {
            var pod = HostPodBuilder.Build(pool, names[i], hash, created);
            pod.Metadata.Uid = $"uid-{names[i]}";
            pod.Metadata.ResourceVersion = "1";
            pod.Metadata.CreationTimestamp = created.UtcDateTime;
            if (_shape.BoundTo(i) > 0)
            {
                pod.Metadata.Labels[HostLabels.Busy] = HostLabels.TrueValue;
                pod.Metadata.Annotations.Remove(HostLabels.IdleSince);
            }

            Run(pod);
            Pods.Upsert(pod);
            for (var s = 0; s < _shape.BoundTo(i); s++, route++)
            {
                Routes.Upsert(Route(route, route % 5 == 4 ? SessionRoutePhase.Disconnected : SessionRoutePhase.Active, pod));
            }
        }

        for (var i = 0; route < _shape.Routes; route++, i++)
        {
            Routes.Upsert(Route(route, route % 2 == 0 ? SessionRoutePhase.Expired : SessionRoutePhase.Failed, Pods.List()[i % Pods.Count]));
        }
    }

    /// <summary>The simulated kubelet: the pod is scheduled on a node, gets an address and is Running and Ready.</summary>
    private void Run(V1Pod pod)
    {
        var ordinal = _podsMade++;
        pod.Spec.NodeName = $"node-{ordinal % _shape.Nodes}";
        pod.Status = new V1PodStatus
        {
            Phase = "Running",
            PodIP = $"10.{ordinal / 65536 % 256}.{ordinal / 256 % 256}.{ordinal % 256}",
            Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }],
        };
    }

    private DesktopPool MakePool() => new()
    {
        ApiVersion = $"{ApiGroup.Group}/{ApiGroup.Version}",
        Kind = DesktopPool.KindName,
        Metadata = new V1ObjectMeta
        {
            Name = PoolName, NamespaceProperty = Namespace, Uid = "uid-pool", ResourceVersion = "1", Generation = 1,
            Finalizers = [PoolFinalizer.Name],
        },
        Spec = new DesktopPoolSpec
        {
            Template = new HostTemplate { Spec = ContainerSpec("example/xrdp:1") },
            Protocols = [new ProtocolSpec { Name = "rdp", Kind = ProtocolKind.Rdp, Port = 3389, GatewayPort = 3389 }],
            Capacity = new CapacitySpec
            {
                MinHosts = 1, MaxHosts = _shape.MaxHosts, SessionsPerHost = _shape.SessionsPerHost, BufferSessions = _shape.BufferSessions, ScaleDownDelay = "5m",
            },
        },
    };

    private SessionRoute Route(int index, SessionRoutePhase phase, V1Pod? host) => new()
    {
        Metadata = new V1ObjectMeta { Name = $"route-{index:D6}", NamespaceProperty = Namespace, Uid = $"uid-route-{index}", ResourceVersion = "1" },
        Spec = new SessionRouteSpec { Pool = PoolName, User = $"user-{index}" },
        Status = new SessionRouteStatus
        {
            Phase = phase, Host = host?.Metadata.Name, HostAddress = host?.Status?.PodIP, BoundAt = host is null ? null : Time.GetUtcNow() - TimeSpan.FromHours(1),
        },
    };

    private static JsonElement ContainerSpec(string image) =>
        JsonDocument.Parse($$"""{"containers":[{"name":"desktop","image":"{{image}}"}]}""").RootElement.Clone();
}
