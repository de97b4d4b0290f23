using DesktopOperator.Kube.Client;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Runtime.LeaderElection;

public sealed partial class LeaderElector
{
    private async Task LeadAsync(long attemptStart, CancellationToken cancellationToken)
    {
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var deadline = _time.CreateTimer(static s => CancelQuietly((CancellationTokenSource)s!), leading, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _isLeader = true;
        using var stopFlag = leading.Token.Register(() => _isLeader = false);
        PushDeadline(deadline, leading, attemptStart);
        LogStartedLeading(_logger, _options.Identity, _options.LeaseName);

        var work = _callbacks.OnStartedLeading is { } start
            ? Task.Run(() => start(leading.Token), CancellationToken.None)
            : Task.CompletedTask;

        // A leader whose work failed is not doing its job: stop renewing at once (controller-runtime's manager
        // stops too), instead of holding the Lease while nothing runs.
        using var stopOnFault = work.ContinueWith(
            static (_, state) => CancelQuietly((CancellationTokenSource)state!),
            leading,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        await RenewUntilLostAsync(deadline, leading).ConfigureAwait(false);

        var failure = await WorkFailureAsync(work, leading).ConfigureAwait(false);
        LogStoppedLeading(_logger, _options.Identity, failure is not null ? "its work failed" : cancellationToken.IsCancellationRequested ? "shutdown" : "lease lost");
        _callbacks.OnStoppedLeading?.Invoke();
        if (failure is not null || (cancellationToken.IsCancellationRequested && _options.ReleaseOnCancel))
        {
            await ReleaseAsync().ConfigureAwait(false);
        }

        if (failure is not null)
        {
            throw LeaderWorkFailedException.For(_options.Identity, failure);
        }
    }

    /// <summary>The exception the leader's work ended with; null when it ended because leadership ended, or cleanly.</summary>
    private async Task<Exception?> WorkFailureAsync(Task work, CancellationTokenSource leading)
    {
        try
        {
            await work.ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested && !work.IsFaulted)
        {
            // The leader's work ended because leadership ended: expected.
            return null;
        }
#pragma warning disable CA1031 // Any failure of the leader's work ends leadership; it is logged and rethrown wrapped.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogWorkFailed(_logger, _options.Identity, e);
            return e;
        }
    }

    private async Task RenewUntilLostAsync(ITimer deadline, CancellationTokenSource leading)
    {
        while (!leading.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RetryPeriod, _time, leading.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested)
            {
                return;
            }

            var attemptStart = _time.GetTimestamp();
            if (await TryAcquireOrRenewAsync(leading.Token).ConfigureAwait(false))
            {
                PushDeadline(deadline, leading, attemptStart);
            }
            else if (_observedHolder != _options.Identity)
            {
                // Someone else holds the Lease now: stop at once rather than at the deadline.
                CancelQuietly(leading);
            }
        }
    }

    /// <summary>Leadership lasts until RenewDeadline after the start of the last successful attempt.</summary>
    private void PushDeadline(ITimer deadline, CancellationTokenSource leading, long attemptStart)
    {
        var remaining = _options.RenewDeadline - _time.GetElapsedTime(attemptStart);
        if (remaining <= TimeSpan.Zero)
        {
            CancelQuietly(leading);
            return;
        }

        deadline.Change(remaining, Timeout.InfiniteTimeSpan);
    }

    private async Task ReleaseAsync()
    {
        if (_observed?.Spec?.HolderIdentity != _options.Identity)
        {
            return;
        }

        // Shutting down: the caller's token is cancelled, so bound the release by the renew deadline instead.
        using var timeout = new CancellationTokenSource(_options.RenewDeadline, _time);
        try
        {
            // A renewal cut short by the shutdown may still have been applied (a newer resourceVersion than the one
            // observed): release the Lease as it is now, if it is still ours.
            var current = await _leases.ReadAsync(timeout.Token).ConfigureAwait(false);
            if (current?.Spec?.HolderIdentity != _options.Identity)
            {
                return;
            }

            var now = _time.GetUtcNow();
            var released = new V1LeaseSpec
            {
                HolderIdentity = "",
                LeaseDurationSeconds = 1,
                AcquireTime = now.UtcDateTime,
                RenewTime = now.UtcDateTime,
                LeaseTransitions = current.Spec.LeaseTransitions,
            };
            _observed = await WriteSpecAsync(current, released, timeout.Token).ConfigureAwait(false);
            LogReleased(_logger, _options.Identity, _options.LeaseName);
        }
        catch (Exception e) when (LeaseVerbs.IsAttemptFailure(e) || e is OperationCanceledException)
        {
            LogReleaseFailed(_logger, _options.Identity, e);
        }
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Leading already ended and disposed the source while the deadline timer fired.
        }
    }
}
