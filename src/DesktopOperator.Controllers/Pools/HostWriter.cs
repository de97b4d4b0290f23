using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Events;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// Applies a <see cref="ScalePlan"/> to a pool's pods: one merge patch per changed pod (busy, draining), deletes with
/// uid and resourceVersion preconditions (a pod changed since we looked is left for the next pass), creates with
/// deterministic names (409 AlreadyExists is harmless), and an Event for every scale and drain decision. Routes of a
/// failed or deleted host are marked Failed by the SessionRoute controller (Routes/RoutePlanner), the one home of that rule.
/// </summary>
/// <param name="created">Told of every host pod created (see <see cref="HostCreations"/>).</param>
internal sealed partial class HostWriter(
    IKubernetesClient client, IEventRecorder events, PoolDecisions decisions, DesktopPool pool, ILogger logger, Action<V1Pod>? created = null)
{
    public async Task ApplyAsync(ScalePlan plan, IReadOnlyList<V1Pod> pods, string templateHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var byName = pods.ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        var patches = HostPatches.From(plan, now);
        foreach (var host in patches.Hosts)
        {
            var pod = byName[host];
            var patch = new V1Patch(patches.Body(host, pod.Metadata.ResourceVersion), V1Patch.PatchType.MergePatch);
            await client.PatchAsync<V1Pod>(host, pod.Metadata.NamespaceProperty, patch, null, null, cancellationToken).ConfigureAwait(false);
        }

        foreach (var action in plan.Drain)
        {
            Record(EventTypes.Normal, "HostDraining", $"Host {action.Host} drains ({action.Reason}): no new sessions, deleted once empty; {plan.Desired} host(s) desired");
            decisions.Count(pool, "drain", action.Reason);
        }

        foreach (var host in plan.Undrain)
        {
            Record(EventTypes.Normal, "HostUndrained", $"Host {host} takes sessions again: {plan.Desired} host(s) desired");
            decisions.Count(pool, "undrain", PoolDecisions.SessionsGrew);
        }

        foreach (var warning in plan.DeadlineWarnings)
        {
            Record(EventTypes.Warning, "DrainDeadline", $"Host {warning.Host} drains too long: {warning.Reason}");
        }

        foreach (var action in plan.Delete)
        {
            await DeleteAsync(byName[action.Host], action.Reason, cancellationToken).ConfigureAwait(false);
        }

        await CreateAsync(plan, byName.Keys.ToHashSet(StringComparer.Ordinal), templateHash, now, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteAsync(V1Pod pod, string reason, CancellationToken cancellationToken)
    {
        var options = new DeleteOptions { PreconditionUid = pod.Metadata.Uid, PreconditionResourceVersion = pod.Metadata.ResourceVersion };
        try
        {
            await client.DeleteAsync<V1Pod>(pod.Metadata.Name, pod.Metadata.NamespaceProperty, options, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return; // Gone already.
        }

        Record(reason == DeleteReason.Drained ? EventTypes.Normal : EventTypes.Warning, "HostDeleted", $"Host {pod.Metadata.Name} deleted ({reason})");
        decisions.Count(pool, "delete", reason);
        LogDeleted(logger, pool.Metadata.NamespaceProperty, pool.Metadata.Name, pod.Metadata.Name, reason);
    }

    private async Task CreateAsync(ScalePlan plan, IReadOnlySet<string> taken, string templateHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var name in plan.Create == 0 ? [] : HostNames.Next(pool.Metadata.Name, templateHash, taken, plan.Create))
        {
            try
            {
                created?.Invoke(await client.CreateAsync(HostPodBuilder.Build(pool, name, templateHash, now), cancellationToken).ConfigureAwait(false));
            }
            catch (KubeAlreadyExistsException)
            {
                continue; // Created by an earlier pass whose answer was lost; the cache will show it.
            }

            Record(EventTypes.Normal, "HostCreated", $"Host {name} created: {plan.Desired} host(s) desired");
            decisions.Count(pool, "create", PoolDecisions.BelowDesired);
            LogCreated(logger, pool.Metadata.NamespaceProperty, pool.Metadata.Name, name, plan.Desired);
        }
    }

    private void Record(string type, string reason, string message) => events.Record(pool, type, reason, message);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Information, Message = "Pool {Namespace}/{Pool}: host {Host} created ({Desired} desired)")]
    private static partial void LogCreated(ILogger logger, string? @namespace, string pool, string host, int desired);

    [LoggerMessage(EventId = 1112, Level = LogLevel.Information, Message = "Pool {Namespace}/{Pool}: host {Host} deleted ({Reason})")]
    private static partial void LogDeleted(ILogger logger, string? @namespace, string pool, string host, string reason);
}
