using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Objects;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// What happens to a DesktopPool with a deletionTimestamp. Its finalizer keeps it (and, through owner references, its
/// host pods and routes) until its hosts are gone: every host is marked draining (no new sessions), empty hosts are
/// deleted at once, busy hosts are deleted when their last route ends or when the pool deletion grace has passed since
/// the deletionTimestamp (a Warning event announces that moment first); then the finalizer is removed and garbage
/// collection takes the rest. Static-host pools have nothing to drain: the finalizer goes at once.
/// Level-based like the rest of the reconciler: each pass reads the cache and does what is due now.
/// </summary>
internal sealed partial class PoolFinalizer(PoolCaches caches, IKubernetesClient client, IEventRecorder events, TimeSpan grace, TimeProvider time, ILogger logger)
{
    /// <summary>The finalizer every pool carries while the operator runs.</summary>
    public const string Name = "desktop-operator.io/drain-hosts";

    public async Task<ReconcileResult> FinalizeAsync(DesktopPool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (!Finalizers.Has(pool, Name))
        {
            return ReconcileResult.Done; // Another finalizer holds it; nothing of ours is left to do.
        }

        var now = time.GetUtcNow();
        var deadline = new DateTimeOffset(DateTime.SpecifyKind(pool.Metadata.DeletionTimestamp!.Value, DateTimeKind.Utc)) + grace;
        var routes = RouteCounts.Count(caches.Routes(pool));
        var hosts = caches.Hosts(pool).Where(p => p.Metadata.DeletionTimestamp is null).ToList();
        var busy = hosts.Where(p => routes.BoundTo(p.Metadata.Name) > 0).ToList();
        var cut = now >= deadline;

        var marked = await MarkDrainingAsync(hosts, now, cancellationToken).ConfigureAwait(false);
        if (marked > 0 && busy.Count > 0 && !cut)
        {
            events.Record(pool, EventTypes.Warning, "PoolDeletionGrace",
                $"Pool deleted: {busy.Count} busy host(s) drain; their sessions are cut at {deadline:yyyy-MM-dd'T'HH:mm:ss'Z'} (pool deletion grace {grace})");
        }

        foreach (var pod in hosts.Where(p => cut || !busy.Contains(p)))
        {
            var sessions = routes.BoundTo(pod.Metadata.Name);
            await DeleteAsync(pod, cancellationToken).ConfigureAwait(false);
            events.Record(pool, sessions > 0 ? EventTypes.Warning : EventTypes.Normal, "HostDeleted", sessions > 0
                ? $"Host {pod.Metadata.Name} deleted (PoolDeleted): the pool deletion grace ran out, {sessions} session(s) cut"
                : $"Host {pod.Metadata.Name} deleted (PoolDeleted)");
            LogHostDeleted(logger, pool.Metadata.NamespaceProperty, pool.Metadata.Name, pod.Metadata.Name, sessions);
        }

        if (busy.Count > 0 && !cut)
        {
            LogWaiting(logger, pool.Metadata.NamespaceProperty, pool.Metadata.Name, busy.Count, deadline);
            return ReconcileResult.RequeueAfter(deadline - now); // A route ending enqueues the pool sooner.
        }

        await Finalizers.RemoveAsync(client, pool, Name, cancellationToken).ConfigureAwait(false);
        LogFinalized(logger, pool.Metadata.NamespaceProperty, pool.Metadata.Name);
        return ReconcileResult.Done;
    }

    /// <summary>Marks every host that still takes sessions draining (reason PoolDeleting); returns how many it marked.</summary>
    private async Task<int> MarkDrainingAsync(IReadOnlyList<V1Pod> hosts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var taking = hosts.Where(p => p.Metadata.Labels?.ContainsKey(HostLabels.Draining) != true).Select(p => p.Metadata.Name).ToList();
        if (taking.Count == 0)
        {
            return 0;
        }

        var patches = HostPatches.From(new ScalePlan { Drain = [.. taking.Select(h => new HostAction(h, DrainReason.PoolDeleting))] }, now);
        foreach (var pod in hosts.Where(p => taking.Contains(p.Metadata.Name)))
        {
            var patch = new V1Patch(patches.Body(pod.Metadata.Name, pod.Metadata.ResourceVersion), V1Patch.PatchType.MergePatch);
            await client.PatchAsync<V1Pod>(pod.Metadata.Name, pod.Metadata.NamespaceProperty, patch, null, null, cancellationToken).ConfigureAwait(false);
        }

        return taking.Count;
    }

    private async Task DeleteAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync<V1Pod>(pod.Metadata.Name, pod.Metadata.NamespaceProperty, new DeleteOptions { PreconditionUid = pod.Metadata.Uid }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            // Gone already.
        }
    }

    [LoggerMessage(EventId = 1121, Level = LogLevel.Information, Message = "Pool {Namespace}/{Pool} is being deleted: host {Host} deleted with {Sessions} session(s)")]
    private static partial void LogHostDeleted(ILogger logger, string? @namespace, string pool, string host, int sessions);

    [LoggerMessage(EventId = 1122, Level = LogLevel.Debug, Message = "Pool {Namespace}/{Pool} is being deleted: {Busy} busy host(s) drain until {Deadline}")]
    private static partial void LogWaiting(ILogger logger, string? @namespace, string pool, int busy, DateTimeOffset deadline);

    [LoggerMessage(EventId = 1123, Level = LogLevel.Information, Message = "Pool {Namespace}/{Pool}: hosts removed, finalizer removed")]
    private static partial void LogFinalized(ILogger logger, string? @namespace, string pool);
}
