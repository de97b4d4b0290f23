using DesktopOperator.Controllers.Pools;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.LeaderElection;

namespace DesktopOperator.Hosting;

/// <summary>
/// Starts the shared informers and the event recorder on every replica, and runs the controllers only while this
/// replica leads (or always, with leader election off). Ready once the caches have synced.
/// </summary>
internal sealed class OperatorService(OperatorSettings settings, KubernetesClient client, TimeProvider time, ILoggerFactory loggers) : BackgroundService
{
    private volatile bool _synced;
    private LeaderElector? _elector;

    public string? NotReadyReason => _synced ? null : "the informer caches have not synced yet";

    public bool IsLeader => _elector is { } elector ? elector.IsLeader : !settings.LeaderElect && _synced;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = new SharedInformerFactory(client, time, loggerFactory: loggers);
        var recorder = new EventRecorder(client, new EventRecorderOptions { Component = "desktop-operator", Instance = settings.Identity }, time, loggers.CreateLogger<EventRecorder>());
        using var controller = DesktopPoolController.Create(factory, client, recorder, settings.Namespace, settings.Pools, time, loggers);
        await factory.StartAsync(stoppingToken).ConfigureAwait(false);
        var events = recorder.RunAsync(stoppingToken);
        try
        {
            await factory.WaitForCacheSyncAsync(stoppingToken).ConfigureAwait(false);
            _synced = true;
            if (settings.LeaderElect)
            {
                _elector = new LeaderElector(
                    client,
                    new LeaderElectionOptions { Namespace = settings.LeaseNamespace, LeaseName = settings.LeaseName, Identity = settings.Identity },
                    new LeaderCallbacks { OnStartedLeading = controller.RunAsync },
                    time,
                    logger: loggers.CreateLogger<LeaderElector>());
                await _elector.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await controller.RunAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        await events.ConfigureAwait(false);
        await factory.WhenStoppedAsync().ConfigureAwait(false);
    }
}
