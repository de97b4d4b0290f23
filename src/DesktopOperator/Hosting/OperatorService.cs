using System.Diagnostics.Metrics;
using DesktopOperator.Controllers.Pools;
using DesktopOperator.Controllers.Routes;
using DesktopOperator.Controllers.Services;
using DesktopOperator.Kube.Client;
using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.LeaderElection;
using k8s;

namespace DesktopOperator.Hosting;

/// <summary>
/// Starts the shared informers and the event recorder on every replica, and runs the controllers only while this
/// replica leads (or always, with leader election off). Ready once the caches have synced. When the controllers fail,
/// the replica stops leading (the elector releases the Lease), records <see cref="Failure"/> and stops the process,
/// which then exits non-zero, as controller-runtime's manager does: a leader that renews but does nothing helps no one.
/// </summary>
internal sealed partial class OperatorService(
    OperatorSettings settings,
    IKubernetesClient client,
    IKubernetes kubernetes,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    IMeterFactory meters,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<OperatorService>();
    private volatile bool _synced;
    private LeaderElector? _elector;

    public string? NotReadyReason => _synced ? null : "the informer caches have not synced yet";

    public bool IsLeader => _elector is { } elector ? elector.IsLeader : !settings.LeaderElect && _synced;

    /// <summary>Why the controllers stopped, when they failed; null while running or after a clean stop.</summary>
    public Exception? Failure { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = new SharedInformerFactory(client, time, loggerFactory: loggers);
        var recorder = new EventRecorder(kubernetes, new EventRecorderOptions { Component = "desktop-operator", Instance = settings.Identity }, time, loggers.CreateLogger<EventRecorder>());
        using var controller = DesktopPoolController.Create(factory, client, recorder, settings.Namespace, settings.Pools, time, loggers, meters.Create(OperatorHost.MeterName), () => IsLeader);
        using var routes = SessionRouteController.Create(factory, client, recorder, settings.Namespace, time, loggers);
        using var service = settings.GatewayService is { } key ? GatewayServiceController.Create(factory, client, recorder, settings.Namespace, key, time, loggers) : null;
        Task RunControllersAsync(CancellationToken ct) => RunTogetherAsync(ct, controller.RunAsync, routes.RunAsync, service is null ? null : service.RunAsync);
        await factory.StartAsync(stoppingToken).ConfigureAwait(false);
        var events = recorder.RunAsync(stoppingToken);
        try
        {
            await factory.WaitForCacheSyncAsync(stoppingToken).ConfigureAwait(false);
            _synced = true;
            if (settings.LeaderElect)
            {
                _elector = new LeaderElector(
                    kubernetes,
                    new LeaderElectionOptions { Namespace = settings.LeaseNamespace, LeaseName = settings.LeaseName, Identity = settings.Identity },
                    new LeaderCallbacks { OnStartedLeading = RunControllersAsync },
                    time,
                    logger: loggers.CreateLogger<LeaderElector>());
                await _elector.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await RunControllersAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failure = e;
            LogControllersFailed(_logger, e);
            lifetime.StopApplication();
        }

        await events.ConfigureAwait(false);
        await factory.WhenStoppedAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the controllers until cancelled; the first one to fail stops the others and its error is rethrown, so a
    /// broken controller ends leading instead of leaving the rest running on a Lease that looks healthy.
    /// </summary>
    private static async Task RunTogetherAsync(CancellationToken cancellationToken, params Func<CancellationToken, Task>?[] controllers)
    {
        using var stopAll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = controllers.OfType<Func<CancellationToken, Task>>().Select(run => run(stopAll.Token)).ToList();
        var first = await Task.WhenAny(running).ConfigureAwait(false);
        if (first.IsFaulted)
        {
            await stopAll.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (first.IsFaulted)
        {
            // the others stopped because the first one failed: its error is the one to report
        }

        await first.ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3800, Level = LogLevel.Critical, Message = "The controllers failed; this replica stops leading and exits")]
    private static partial void LogControllersFailed(ILogger logger, Exception exception);
}
