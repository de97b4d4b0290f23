using DesktopOperator.Api.Durations;
using DesktopOperator.Api.Validation;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime;
using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Objects;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// Reconciles one DesktopPool: finalizes it when it is being deleted (<see cref="PoolFinalizer"/>), else makes sure it
/// carries the finalizer, validates it, counts its sessions, asks <see cref="ScalePlanner"/> for a plan over its
/// host pods and applies it (<see cref="HostWriter"/>), then writes status when it changed. Level-based: reads
/// everything from the informer caches and keeps no state between passes.
/// </summary>
internal sealed partial class DesktopPoolReconciler(
    PoolCaches caches,
    IKubernetesClient client,
    IEventRecorder events,
    PoolReconcilerOptions options,
    TimeProvider time,
    ILogger<DesktopPoolReconciler> logger,
    PoolDecisions? decisions = null) : IReconciler
{
    /// <summary>How soon a pass that held back creates (the cache behind our own) looks again.</summary>
    private static readonly TimeSpan AwaitCreatesRetry = TimeSpan.FromSeconds(1);

    private readonly HostCreations _creations = new(time);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var pool = caches.Pool(key);
        if (pool is null)
        {
            _creations.Forget(key);
            return ReconcileResult.Done; // Gone: whatever it owned goes with it (owner references).
        }

        if (pool.Metadata.DeletionTimestamp is not null)
        {
            return await new PoolFinalizer(caches, client, events, options.PoolDeletionGrace, time, logger)
                .FinalizeAsync(pool, cancellationToken).ConfigureAwait(false);
        }

        pool = await Finalizers.AddAsync(client, pool, PoolFinalizer.Name, cancellationToken).ConfigureAwait(false);

        var now = time.GetUtcNow();
        var routes = RouteCounts.Count(caches.Routes(pool));
        var errors = DesktopPoolValidator.Validate(pool);
        if (errors.Count > 0)
        {
            var message = string.Join("; ", errors.Select(e => e.ToString()));
            events.Record(pool, EventTypes.Warning, ConditionReasons.InvalidSpec, message);
            await WriteStatusAsync(pool, PoolStatusBuilder.Invalid(pool, errors, routes, now), cancellationToken).ConfigureAwait(false);
            throw new TerminalReconcileException($"DesktopPool {key} is invalid: {message}");
        }

        if (pool.Spec.Template is null)
        {
            await WriteStatusAsync(pool, PoolStatusBuilder.Static(pool, routes, now), cancellationToken).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        if (!caches.HasBudget(pool))
        {
            try
            {
                await client.CreateAsync(BusyHostBudget.Build(pool), cancellationToken).ConfigureAwait(false);
            }
            catch (KubeAlreadyExistsException)
            {
                // Created by an earlier pass; the cache has not seen it yet.
            }
        }

        var hash = TemplateHash.Compute(pool.Spec.Template);
        var pods = caches.Hosts(pool);
        var views = pods.Select(p => (Host: HostViews.From(p, hash, routes, caches.NodeCordoned), Address: p.Status?.PodIP)).ToList();
        var settings = ScaleSettings.From(pool.Spec.Capacity, Duration.Parse(pool.Spec.Capacity.ScaleDownDelay), options.MaxSurge, options.MaxDrainTime);
        var plan = ScalePlanner.Plan(settings, [.. views.Select(v => v.Host)], routes.Sessions, now);
        // Asked every pass, not only when the plan creates: it also forgets the creates the cache now shows.
        if (_creations.Awaiting(key, pods) && plan.Create > 0)
        {
            // The cache has not shown a host this controller created: counting again from it could create one twice.
            plan = plan with { Create = 0, RequeueAfter = plan.RequeueAfter is { } sooner && sooner < AwaitCreatesRetry ? sooner : AwaitCreatesRetry };
        }

        var serving = views.Count(v => v.Host.Alive && !v.Host.Draining);
        LogPlan(logger, key, routes.Sessions, plan.Desired, serving, plan.Create, plan.Drain.Count, plan.Delete.Count);

        var writer = new HostWriter(client, events, decisions ?? PoolDecisions.None, pool, logger, created => _creations.Created(key, created));
        await writer.ApplyAsync(plan, pods, hash, now, cancellationToken).ConfigureAwait(false);
        var status = PoolStatusBuilder.Build(pool, views, routes, plan, settings.SessionsPerHost, now);
        await WriteStatusAsync(pool, status, cancellationToken).ConfigureAwait(false);
        return plan.RequeueAfter is { } after ? ReconcileResult.RequeueAfter(after) : ReconcileResult.Done;
    }

    /// <summary>
    /// A merge patch of /status, only when the status differs from what the cache holds, and only onto the version
    /// read: the status is built from that version's conditions, and the gateway-Service controller writes one of
    /// them (GatewayPorts) too — a blind write from a stale cache would drop its condition until its next pass. A
    /// conflict is retried with backoff, from a fresher cache.
    /// </summary>
    private async Task WriteStatusAsync(DesktopPool pool, DesktopPoolStatus status, CancellationToken cancellationToken)
    {
        var body = KubeJson.Serialize(status);
        if (pool.Status is not null && KubeJson.Serialize(pool.Status) == body)
        {
            return;
        }

        var version = KubeJson.Serialize(pool.Metadata.ResourceVersion);
        var patch = new k8s.Models.V1Patch($"{{\"metadata\":{{\"resourceVersion\":{version}}},\"status\":{body}}}", k8s.Models.V1Patch.PatchType.MergePatch);
        await client.PatchAsync<DesktopPool>(pool.Metadata.Name, pool.Metadata.NamespaceProperty, patch, null, "status", cancellationToken).ConfigureAwait(false);
    }
}
