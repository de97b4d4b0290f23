using System.Globalization;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Runtime.Controllers;

/// <summary>
/// The reconcile loop (controller-runtime's internal controller): event handlers put keys on <see cref="Queue"/>;
/// once every informer the controller reads has synced, N workers take keys and call the reconciler. A key is
/// never reconciled by two workers at once (the queue's processing set). Outcome handling:
/// Done → Forget; RequeueAfter(d) → Forget + AddAfter(d); exception → AddRateLimited; terminal → Forget, logged.
/// On cancellation the queue shuts down, in-flight reconciles see the token cancelled, and
/// <see cref="RunAsync"/> returns when every worker has stopped.
/// </summary>
public sealed partial class Controller
{
    private readonly ControllerOptions _options;
    private readonly IReconciler _reconciler;
    private readonly IReadOnlyList<IInformerSync> _caches;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ControllerMetrics _metrics;
    private long _reconcileIds;

    public Controller(ControllerOptions options, IReconciler reconciler, IReadOnlyList<IInformerSync> caches, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Workers);
        _options = options;
        _reconciler = reconciler;
        _caches = caches;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _metrics = ControllerMetrics.For(options.Name);
        Queue = new WorkQueue<ObjectKey>(options.Name, options.RateLimiter ?? RateLimiters.Default<ObjectKey>(_time), _time);
    }

    public string Name => _options.Name;

    /// <summary>Where event handlers put keys (see <see cref="EnqueueHandlers"/>).</summary>
    public WorkQueue<ObjectKey> Queue { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogWaitingForCaches(_logger, Name, _caches.Count);
        try
        {
            await Task.WhenAll(_caches.Select(c => c.WaitForSyncAsync(cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Queue.ShutDown();
            return;
        }

        LogStarting(_logger, Name, _options.Workers);
        var workers = Enumerable.Range(0, _options.Workers)
            .Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None))
            .ToArray();
        using (cancellationToken.Register(static q => ((WorkQueue<ObjectKey>)q!).ShutDown(), Queue))
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }

        LogStopped(_logger, Name);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (key, shutDown) = await Queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
            if (shutDown)
            {
                return;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                Queue.Done(key);
                continue;
            }

            await ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var reconcileId = Interlocked.Increment(ref _reconcileIds).ToString("x", CultureInfo.InvariantCulture);
        using var scope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["controller"] = Name,
            ["namespace"] = key.Namespace,
            ["name"] = key.Name,
            ["reconcileId"] = reconcileId,
        });
        var started = _time.GetTimestamp();
        string? outcome = null;
        try
        {
            var result = await _reconciler.ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
            Queue.Forget(key);
            if (result.RequeueAfterDelay is { } delay)
            {
                Queue.AddAfter(key, delay);
                outcome = ReconcileOutcome.RequeueAfter;
            }
            else
            {
                outcome = ReconcileOutcome.Success;
            }

            LogReconciled(_logger, key, outcome);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down (or leadership lost): not an outcome; the next leader reconciles the key from scratch.
        }
        catch (TerminalReconcileException e)
        {
            Queue.Forget(key);
            outcome = ReconcileOutcome.Terminal;
            LogTerminal(_logger, key, e);
        }
#pragma warning disable CA1031 // Any other failure is transient by contract: retried with backoff, logged, counted.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Queue.AddRateLimited(key);
            outcome = ReconcileOutcome.Error;
            LogFailed(_logger, key, Queue.NumRequeues(key), e);
        }
        finally
        {
            Queue.Done(key);
        }

        if (outcome is not null)
        {
            _metrics.Record(outcome, _time.GetElapsedTime(started).TotalSeconds);
        }
    }
}
