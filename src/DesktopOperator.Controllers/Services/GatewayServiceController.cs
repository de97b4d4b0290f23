using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime;
using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Informers;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Controllers.Services;

/// <summary>
/// Wires the gateway-Service controller (operator flag <c>--gateway-service</c>): one key, the Service, enqueued by
/// every pool creation, deletion and spec change on the shared pool informer.
/// </summary>
internal static class GatewayServiceController
{
    public const string Name = "gatewayservice";

    public static Controller Create(
        SharedInformerFactory factory,
        IKubernetesClient client,
        IEventRecorder events,
        string? namespaceName,
        ObjectKey service,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(loggers);
        var pools = factory.GetInformer(new InformerOptions<DesktopPool> { Namespace = namespaceName });
        var reconciler = new GatewayServiceReconciler(pools.Cache, client, events, time, loggers.CreateLogger<GatewayServiceReconciler>());
        var controller = new Controller(new ControllerOptions { Name = Name }, reconciler, [pools], time, loggers.CreateLogger<Controller>());
        pools.AddEventHandler(new ResourceEventHandler<DesktopPool>
        {
            Added = (_, _) => controller.Queue.Add(service),
            Updated = (old, p) =>
            {
                if (EnqueueHandlers.ShouldReconcileUpdate(old, p))
                {
                    controller.Queue.Add(service);
                }
            },
            Deleted = _ => controller.Queue.Add(service),
        });
        controller.Queue.Add(service);
        return controller;
    }
}
