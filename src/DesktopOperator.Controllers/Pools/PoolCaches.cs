using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Runtime;
using DesktopOperator.Runtime.Informers;
using k8s.Models;

namespace DesktopOperator.Controllers.Pools;

/// <summary>The informer caches the pool reconciler reads: pools, their host pods, their routes and the nodes.</summary>
internal sealed class PoolCaches(ICache<DesktopPool> pools, ICache<V1Pod> pods, ICache<SessionRoute> routes, ICache<V1Node>? nodes, ICache<V1PodDisruptionBudget>? budgets)
{
    /// <summary>Index of SessionRoutes by <c>namespace/spec.pool</c>.</summary>
    public const string RoutesByPool = "pool";

    public static IReadOnlyDictionary<string, Func<k8s.IKubernetesObject<V1ObjectMeta>, IEnumerable<string>>> RouteIndexers { get; } =
        new Dictionary<string, Func<k8s.IKubernetesObject<V1ObjectMeta>, IEnumerable<string>>>(Indexers.Standard, StringComparer.Ordinal)
        {
            [RoutesByPool] = o => o is SessionRoute { Spec.Pool.Length: > 0 } r ? [PoolKey(r.Metadata.NamespaceProperty, r.Spec.Pool)] : [],
        };

    public DesktopPool? Pool(ObjectKey key) => pools.GetByKey(key);

    public IReadOnlyList<DesktopPool> AllPools() => pools.List();

    /// <summary>Pods labelled with the pool and controlled by this very pool (uid), so a namesake's leftovers are not ours.</summary>
    public IReadOnlyList<V1Pod> Hosts(DesktopPool pool) =>
        [.. pods.ByIndex(Indexers.Label, Indexers.LabelValue(HostLabels.Pool, pool.Metadata.Name))
            .Where(p => HostRules.BelongsTo(p, pool))];

    public IReadOnlyList<SessionRoute> Routes(DesktopPool pool) =>
        routes.ByIndex(RoutesByPool, PoolKey(pool.Metadata.NamespaceProperty, pool.Metadata.Name));

    /// <summary>Whether the pool's busy-host budget is in the cache (true when budgets are not watched: nothing to do).</summary>
    public bool HasBudget(DesktopPool pool) =>
        budgets is null || budgets.GetByKey(new ObjectKey(pool.Metadata.NamespaceProperty, BusyHostBudget.NameFor(pool.Metadata.Name))) is not null;

    public bool NodeCordoned(string node) => nodes?.GetByKey(new ObjectKey(null, node))?.Spec?.Unschedulable == true;

    public static string PoolKey(string? ns, string pool) => $"{ns}/{pool}";
}
