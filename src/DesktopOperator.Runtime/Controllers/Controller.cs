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
/// <para>
/// <see cref="RunAsync"/> may be called again after it returned (one leader term after another), never twice at
/// once. While it is not running, keys keep collecting in the queue (one entry per key), and a reconcile cut
/// short by cancellation is queued again, so the next term starts where this one stopped. Dispose shuts the queue
/// down for good.
/// </para>
/// </summary>
public sealed partial class Controller : IDisposable
{
    private readonly ControllerOptions _options;
    private readonly IReconciler _reconciler;
    private readonly IReadOnlyList<IInformerSync> _caches;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ControllerMetrics _metrics;
    private long _reconcileIds;
    private int _running;

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
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException($"Controller {Name} is already running.");
        }

        try
        {
            LogWaitingForCaches(_logger, Name, _caches.Count);
            try
            {
                await Task.WhenAll(_caches.Select(c => c.WaitForSyncAsync(cancellationToken))).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            LogStarting(_logger, Name, _options.Workers);
            var workers = Enumerable.Range(0, _options.Workers)
                .Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None))
                .ToArray();
            await Task.WhenAll(workers).ConfigureAwait(false);
            LogStopped(_logger, Name);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Shuts the queue down: no further keys are accepted and running workers stop once idle.</summary>
    public void Dispose() => Queue.Dispose();

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ObjectKey key;
            try
            {
                (key, var shutDown) = await Queue.GetAsync(cancellationToken).ConfigureAwait(false);
                if (shutDown)
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                // Taken just as the term ended: put it back for the next one.
                Queue.Add(key);
                Queue.Done(key);
                return;
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
            // Stopping (shutdown or lost leadership) is not an outcome. Added while still processing, the key is
            // queued again at Done, for whichever term runs next.
            Queue.Add(key);
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
