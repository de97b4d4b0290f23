using DesktopOperator.Api.Durations;
using DesktopOperator.Gateway.Pools;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Runtime.Informers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>
/// Kubernetes mode's driver: starts the informers, waits until their caches have synced, applies the first plan (only
/// then is the gateway ready: <see cref="NotReadyReason"/>), and from then on re-plans after changes, debounced
/// (<see cref="KubernetesGatewayOptions.Debounce"/>) and one apply at a time (one loop). A plan that fails to apply
/// leaves the previous one in force and is tried again. On stop, live connections may finish for the drain time
/// before they are cancelled, as in standalone mode, then the route writes still owed are flushed.
/// </summary>
internal sealed partial class KubernetesGatewayService(
    SharedInformerFactory factory,
    KubernetesPoolSource source,
    SessionRouteStore routes,
    KubernetesGatewayOptions options,
    TcpProxyOptions proxyOptions,
    GatewayPlanApplier applier,
    TcpListenerManager listeners,
    TimeProvider time,
    ILogger<KubernetesGatewayService> logger) : BackgroundService
{
    private volatile bool _synced;
    private volatile bool _applied;

    /// <summary>Why the gateway is not ready yet (caches not synced, first plan not applied), or null.</summary>
    public string? NotReadyReason => !_synced
        ? "the informer caches (DesktopPools, host pods) have not synced yet"
        : _applied ? null : "the first plan is not applied yet";

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var drainTime = Duration.Format(proxyOptions.DrainTime);
        LogDraining(logger, drainTime);
        await listeners.StopAsync(proxyOptions.DrainTime, cancellationToken);
        // Connection ends are written behind (coalesced): write them now, so the routes say Disconnected and resumeFor
        // starts counting. Whatever the API server does not take now is lost with this process.
        await routes.FlushAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await factory.StartAsync(stoppingToken);
        try
        {
            await factory.WaitForCacheSyncAsync(stoppingToken);
            _synced = true;
            LogSynced(logger, options.Namespace ?? "all namespaces");
            while (!stoppingToken.IsCancellationRequested)
            {
                // Taken before planning: a change during the plan or the apply is seen by the next pass.
                var changed = source.Changes.Current;
                if (await TryApplyAsync(stoppingToken))
                {
                    await changed.WaitAsync(stoppingToken);
                    await Task.Delay(options.Debounce, time, stoppingToken);
                }
                else
                {
                    await Task.Delay(options.RetryDelay, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await factory.WhenStoppedAsync();
    }

    /// <summary>Never throws but for cancellation: false when the plan could not be made or applied.</summary>
    private async Task<bool> TryApplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var plan = source.Plan();
            await applier.ApplyAsync(plan, cancellationToken);
            if (!_applied)
            {
                _applied = true;
                LogFirstPlanApplied(logger, plan.Pools.Count, applier.Problems.Count);
            }

            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogApplyFailed(logger, e);
            return false;
        }
    }
}
