using System.Diagnostics.Metrics;
using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Informers;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// Wires the DesktopPool controller: informers for pools, host pods (managed-by label), routes (indexed by pool) and
/// nodes (cordons) from the shared factory, their event handlers (a pod or route enqueues its pool, a node change
/// enqueues every pool) and the controller loop. The caller starts the factory and runs the controller while leading.
/// With a <c>meter</c>, the pool gauges (<see cref="PoolMetrics"/>) read the same caches, reported while <c>reporting</c> is true.
/// </summary>
internal static class DesktopPoolController
{
    public const string Name = "desktoppool";

    public static Controller Create(
        SharedInformerFactory factory,
        IKubernetesClient client,
        IEventRecorder events,
        string? namespaceName,
        PoolReconcilerOptions options,
        TimeProvider time,
        ILoggerFactory loggers,
        Meter? meter = null,
        Func<bool>? reporting = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(loggers);
        var pools = factory.GetInformer(new InformerOptions<DesktopPool> { Namespace = namespaceName });
        var pods = factory.GetInformer(new InformerOptions<V1Pod> { Namespace = namespaceName, LabelSelector = HostLabels.ManagedSelector });
        var routes = factory.GetInformer(new InformerOptions<SessionRoute> { Namespace = namespaceName, Indexers = PoolCaches.RouteIndexers });
        var nodes = factory.GetInformer(new InformerOptions<V1Node>());
        var budgets = factory.GetInformer(new InformerOptions<V1PodDisruptionBudget> { Namespace = namespaceName, LabelSelector = HostLabels.ManagedSelector });
        var caches = new PoolCaches(pools.Cache, pods.Cache, routes.Cache, nodes.Cache, budgets.Cache);
        if (meter is not null)
        {
            PoolMetrics.Register(meter, caches, reporting ?? (() => true));
        }

        var decisions = meter is null ? PoolDecisions.None : PoolDecisions.On(meter);
        var reconciler = new DesktopPoolReconciler(caches, client, events, options, time, loggers.CreateLogger<DesktopPoolReconciler>(), decisions);
        var controller = new Controller(new ControllerOptions { Name = Name, Workers = 2 }, reconciler, [pools, pods, routes, nodes, budgets], time, loggers.CreateLogger<Controller>());
        pools.AddEventHandler(EnqueueHandlers.ForObject<DesktopPool>(controller.Queue));
        pods.AddEventHandler(EnqueueHandlers.ForControllerOwner<V1Pod>(controller.Queue, ApiGroup.Group, DesktopPool.KindName));
        budgets.AddEventHandler(EnqueueHandlers.ForControllerOwner<V1PodDisruptionBudget>(controller.Queue, ApiGroup.Group, DesktopPool.KindName));
        routes.AddEventHandler(new ResourceEventHandler<SessionRoute>
        {
            Added = (r, _) => EnqueuePool(controller, r),
            Updated = (old, r) =>
            {
                EnqueuePool(controller, old);
                EnqueuePool(controller, r);
            },
            Deleted = r => EnqueuePool(controller, r),
        });
        nodes.AddEventHandler(new ResourceEventHandler<V1Node>
        {
            Updated = (old, node) =>
            {
                if (old.Spec?.Unschedulable != node.Spec?.Unschedulable)
                {
                    foreach (var pool in caches.AllPools())
                    {
                        controller.Queue.Add(Runtime.ObjectKey.From(pool));
                    }
                }
            },
        });
        return controller;
    }

    private static void EnqueuePool(Controller controller, SessionRoute route)
    {
        if (route.Spec?.Pool is { Length: > 0 } pool)
        {
            controller.Queue.Add(new Runtime.ObjectKey(route.Metadata.NamespaceProperty, pool));
        }
    }
}
