using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.Routes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Controllers.Pools;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime;
using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Queues;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Controllers.Routes;

/// <summary>
/// Wires the SessionRoute controller on the same shared informers as the DesktopPool controller (pools, host pods,
/// routes indexed by pool). A route enqueues itself; a route that stops holding a slot, or is deleted, enqueues the
/// routes waiting in its pool (a slot freed); a pod enqueues its pool's waiting routes and the routes bound to it; a
/// pool's creation, spec change or deletion enqueues all its routes. One worker: binds are counted one after another.
/// </summary>
internal static class SessionRouteController
{
    public const string Name = "sessionroute";

    public static Controller Create(
        SharedInformerFactory factory,
        IKubernetesClient client,
        IEventRecorder events,
        string? namespaceName,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(loggers);
        var pools = factory.GetInformer(new InformerOptions<DesktopPool> { Namespace = namespaceName });
        var pods = factory.GetInformer(new InformerOptions<V1Pod> { Namespace = namespaceName, LabelSelector = HostLabels.ManagedSelector });
        var routes = factory.GetInformer(new InformerOptions<SessionRoute> { Namespace = namespaceName, Indexers = PoolCaches.RouteIndexers });
        var caches = new PoolCaches(pools.Cache, pods.Cache, routes.Cache, null, null);
        var reconciler = new SessionRouteReconciler(caches, routes.Cache, new BindLedger(time), client, events, time, loggers.CreateLogger<SessionRouteReconciler>());
        var controller = new Controller(new ControllerOptions { Name = Name, Workers = 1 }, reconciler, [pools, pods, routes], time, loggers.CreateLogger<Controller>());
        var queue = controller.Queue;
        routes.AddEventHandler(new ResourceEventHandler<SessionRoute>
        {
            Added = (r, _) => queue.Add(ObjectKey.From(r)),
            Updated = (old, r) =>
            {
                queue.Add(ObjectKey.From(r));
                if (HoldsSlot(old) && !HoldsSlot(r))
                {
                    EnqueueWaiting(queue, routes.Cache, r.Metadata.NamespaceProperty, r.Spec.Pool, host: null);
                }
            },
            Deleted = r => EnqueueWaiting(queue, routes.Cache, r.Metadata.NamespaceProperty, r.Spec.Pool, host: null),
        });
        pods.AddEventHandler(new ResourceEventHandler<V1Pod>
        {
            Added = (p, _) => EnqueueForPod(queue, routes.Cache, p),
            Updated = (_, p) => EnqueueForPod(queue, routes.Cache, p),
            Deleted = p => EnqueueForPod(queue, routes.Cache, p),
        });
        pools.AddEventHandler(new ResourceEventHandler<DesktopPool>
        {
            Added = (p, _) => EnqueueAll(queue, routes.Cache, p),
            Updated = (old, p) =>
            {
                if (EnqueueHandlers.ShouldReconcileUpdate(old, p))
                {
                    EnqueueAll(queue, routes.Cache, p);
                }
            },
            Deleted = p => EnqueueAll(queue, routes.Cache, p),
        });
        return controller;
    }

    private static bool HoldsSlot(SessionRoute route) => RouteLifecycle.HoldsSlot(route.Status?.Phase ?? SessionRoutePhase.Pending);

    private static void EnqueueForPod(WorkQueue<ObjectKey> queue, ICache<SessionRoute> routes, V1Pod pod)
    {
        if (pod.Metadata.Labels?.TryGetValue(HostLabels.Pool, out var pool) == true)
        {
            EnqueueWaiting(queue, routes, pod.Metadata.NamespaceProperty, pool, pod.Metadata.Name);
        }
    }

    /// <summary>The pool's routes that wait for a host, and those bound or pinned to <paramref name="host"/> (when given).</summary>
    private static void EnqueueWaiting(WorkQueue<ObjectKey> queue, ICache<SessionRoute> routes, string? ns, string pool, string? host)
    {
        foreach (var route in routes.ByIndex(PoolCaches.RoutesByPool, PoolCaches.PoolKey(ns, pool)))
        {
            if (!HoldsSlot(route) || (host is not null && (route.Status?.Host == host || route.Spec.Host == host)))
            {
                queue.Add(ObjectKey.From(route));
            }
        }
    }

    private static void EnqueueAll(WorkQueue<ObjectKey> queue, ICache<SessionRoute> routes, DesktopPool pool)
    {
        foreach (var route in routes.ByIndex(PoolCaches.RoutesByPool, PoolCaches.PoolKey(pool.Metadata.NamespaceProperty, pool.Metadata.Name)))
        {
            queue.Add(ObjectKey.From(route));
        }
    }
}
