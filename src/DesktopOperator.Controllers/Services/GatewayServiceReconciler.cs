using System.Text.Json;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime;
using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Objects;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Controllers.Services;

/// <summary>
/// Keeps the gateway's Service ports equal to the pools' TCP gateway ports (<see cref="GatewayPorts"/>). The Service
/// is written with a JSON patch that tests its resourceVersion and replaces only <c>/spec/ports</c> (ports we do not
/// own are carried over unchanged), never with a PUT of an object read through our model. Each pool gets a
/// <c>GatewayPorts</c> condition: False with reason <c>GatewayPortConflict</c> and a Warning event when a port is
/// refused. The Service is read afresh each pass (one object) and checked again every <see cref="Recheck"/>, so an
/// edit by someone else is repaired without a Service informer.
/// </summary>
internal sealed partial class GatewayServiceReconciler(
    ICache<DesktopPool> pools,
    IKubernetesClient client,
    IEventRecorder events,
    TimeProvider time,
    ILogger<GatewayServiceReconciler> logger) : IReconciler
{
    public static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        V1Service service;
        try
        {
            service = await client.GetAsync<V1Service>(key.Name, key.Namespace, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            LogServiceMissing(logger, key);
            return ReconcileResult.RequeueAfter(Recheck);
        }

        var all = pools.List();
        var plan = GatewayPorts.Plan([.. service.Spec?.Ports ?? []], all);
        if (plan.Changed)
        {
            var patch = new object[]
            {
                new { op = "test", path = "/metadata/resourceVersion", value = service.Metadata.ResourceVersion },
                new { op = "add", path = "/spec/ports", value = plan.Ports },
            };
            await client.PatchAsync<V1Service>(key.Name, key.Namespace, new V1Patch(KubeJson.Serialize(patch), V1Patch.PatchType.JsonPatch), null, null, cancellationToken).ConfigureAwait(false);
            var names = string.Join(", ", plan.Ports.Select(p => $"{p.Name}={p.Port}"));
            events.Record(service, EventTypes.Normal, "PortsUpdated", $"Ports now {names}");
            LogPortsUpdated(logger, key, names);
        }

        foreach (var pool in all.Where(p => p.Metadata.DeletionTimestamp is null && p.Spec.Protocols.Any(q => q.GatewayPort is not null)))
        {
            await SetConditionAsync(pool, plan.Conflicts.GetValueOrDefault(GatewayPorts.KeyOf(pool)), key, cancellationToken).ConfigureAwait(false);
        }

        return ReconcileResult.RequeueAfter(Recheck);
    }

    /// <summary>Writes the pool's GatewayPorts condition when it changed (a merge patch of status with the resourceVersion read).</summary>
    private async Task SetConditionAsync(DesktopPool pool, string? conflict, ObjectKey service, CancellationToken cancellationToken)
    {
        var conditions = (pool.Status?.Conditions ?? []).Select(c => KubeJson.Deserialize<V1Condition>(KubeJson.Serialize(c))).ToList();
        var condition = new V1Condition
        {
            Type = ConditionTypes.GatewayPorts,
            Status = conflict is null ? Conditions.True : Conditions.False,
            Reason = conflict is null ? ConditionReasons.PortsServed : ConditionReasons.GatewayPortConflict,
            Message = conflict ?? $"the gateway ports are on Service {service}",
            ObservedGeneration = pool.Metadata.Generation,
        };
        if (!Conditions.Set(conditions, condition, time.GetUtcNow()))
        {
            return;
        }

        var body = JsonSerializer.Serialize(new { metadata = new { resourceVersion = pool.Metadata.ResourceVersion }, status = new { conditions } }, KubeJson.Options);
        await client.PatchAsync<DesktopPool>(pool.Metadata.Name, pool.Metadata.NamespaceProperty, new V1Patch(body, V1Patch.PatchType.MergePatch), null, "status", cancellationToken).ConfigureAwait(false);
        if (conflict is not null)
        {
            events.Record(pool, EventTypes.Warning, ConditionReasons.GatewayPortConflict, conflict);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Gateway Service {Service} does not exist; its ports are not managed until it does")]
    private static partial void LogServiceMissing(ILogger logger, ObjectKey service);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Gateway Service {Service}: ports now {Ports}")]
    private static partial void LogPortsUpdated(ILogger logger, ObjectKey service, string ports);
}
