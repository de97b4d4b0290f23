using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Controllers.Pools;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime;
using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Objects;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Controllers.Routes;

/// <summary>
/// Reconciles one SessionRoute: gives it an owner reference to its pool (so it is garbage-collected with the pool),
/// asks <see cref="RoutePlanner"/> what to do from the caches (the route, its pool, the pool's hosts and routes, plus
/// this process's binds the cache does not show yet) and does it: one conditional status write (merge patch carrying
/// the resourceVersion read, so a concurrent gateway write makes it a 409 retried with backoff) and its Event, or a
/// delete with uid and resourceVersion preconditions. Level-based; run with one worker so binds are counted in order.
/// </summary>
internal sealed partial class SessionRouteReconciler(
    PoolCaches caches,
    ICache<SessionRoute> routes,
    BindLedger ledger,
    IKubernetesClient client,
    IEventRecorder events,
    TimeProvider time,
    ILogger<SessionRouteReconciler> logger) : IReconciler
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var route = routes.GetByKey(key);
        if (route is null || route.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done;
        }

        var pool = caches.Pool(new ObjectKey(key.Namespace, route.Spec.Pool));
        if (pool?.Metadata.DeletionTimestamp is not null)
        {
            return ReconcileResult.Done; // Its routes go with it (owner references).
        }

        if (pool is not null && OwnerReferences.GetControllerOf(route) is null)
        {
            await AdoptAsync(route, pool, cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done; // The update brings the route back.
        }

        var now = time.GetUtcNow();
        var (hosts, position) = pool is null ? ([], 0) : Read(pool, route);
        var plan = RoutePlanner.Plan(route, pool, hosts, position, now);
        switch (plan.Action)
        {
            case RouteAction.WriteStatus:
                await WriteStatusAsync(route, plan, cancellationToken).ConfigureAwait(false);
                break;
            case RouteAction.Delete:
                await DeleteAsync(route, cancellationToken).ConfigureAwait(false);
                break;
        }

        return plan.RequeueAfter is { } after ? ReconcileResult.RequeueAfter(after) : ReconcileResult.Done;
    }

    /// <summary>The pool's live hosts with their bound routes, and the route's place among the routes waiting for any host.</summary>
    private (IReadOnlyList<HostCandidate> Hosts, int Position) Read(DesktopPool pool, SessionRoute route)
    {
        var poolRoutes = caches.Routes(pool);
        var counts = RouteCounts.Count(poolRoutes);
        var unseen = ledger.Unseen(PoolCaches.PoolKey(pool.Metadata.NamespaceProperty, pool.Metadata.Name), k => routes.GetByKey(k)?.Metadata.ResourceVersion);
        var extra = unseen.GroupBy(u => u.Host, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var hosts = HostCandidates.From(pool, caches.Hosts(pool), h => counts.BoundTo(h) + extra.GetValueOrDefault(h));
        var bindingNow = unseen.Select(u => u.Route).ToHashSet();
        var queue = poolRoutes
            .Where(r => (r.Status?.Phase ?? SessionRoutePhase.Pending) == SessionRoutePhase.Pending && r.Spec.Host is null && !bindingNow.Contains(ObjectKey.From(r)))
            .OrderBy(r => r.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(r => r.Metadata.Name, StringComparer.Ordinal)
            .Select(r => r.Metadata.Name)
            .ToList();
        return (hosts, Math.Max(0, queue.IndexOf(route.Metadata.Name)));
    }

    private async Task AdoptAsync(SessionRoute route, DesktopPool pool, CancellationToken cancellationToken)
    {
        var copy = KubeJson.Deserialize<SessionRoute>(KubeJson.Serialize(route));
        OwnerReferences.SetControllerReference(pool, copy, blockOwnerDeletion: false);
        var body = $"{{\"metadata\":{{\"resourceVersion\":{KubeJson.Serialize(route.Metadata.ResourceVersion)},\"ownerReferences\":{KubeJson.Serialize(copy.Metadata.OwnerReferences)}}}}}";
        try
        {
            await client.PatchAsync<SessionRoute>(route.Metadata.Name, route.Metadata.NamespaceProperty, new V1Patch(body, V1Patch.PatchType.MergePatch), null, null, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            // Deleted meanwhile.
        }
    }

    private async Task WriteStatusAsync(SessionRoute route, RoutePlan plan, CancellationToken cancellationToken)
    {
        var body = $"{{\"metadata\":{{\"resourceVersion\":{KubeJson.Serialize(route.Metadata.ResourceVersion)}}},\"status\":{KubeJson.Serialize(plan.Status)}}}";
        SessionRoute written;
        try
        {
            written = await client.PatchAsync<SessionRoute>(route.Metadata.Name, route.Metadata.NamespaceProperty, new V1Patch(body, V1Patch.PatchType.MergePatch), null, "status", cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return; // The route ended meanwhile.
        }

        if (plan.Binds)
        {
            ledger.Record(ObjectKey.From(route), PoolCaches.PoolKey(route.Metadata.NamespaceProperty, route.Spec.Pool), plan.Status!.Host!, written.Metadata.ResourceVersion);
        }

        if (plan.Event is { } e)
        {
            events.Record(route, e.Type, e.Reason, e.Message);
            LogRouteChanged(logger, route.Metadata.NamespaceProperty, route.Metadata.Name, plan.Status!.Phase, e.Reason, e.Message);
        }
    }

    private async Task DeleteAsync(SessionRoute route, CancellationToken cancellationToken)
    {
        var options = new DeleteOptions { PreconditionUid = route.Metadata.Uid, PreconditionResourceVersion = route.Metadata.ResourceVersion };
        try
        {
            await client.DeleteAsync<SessionRoute>(route.Metadata.Name, route.Metadata.NamespaceProperty, options, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return;
        }

        LogRouteDeleted(logger, route.Metadata.NamespaceProperty, route.Metadata.Name, route.Status?.Phase);
    }
}
