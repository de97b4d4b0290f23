namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>
/// The background writer: writes each owed route when it is due (coalesced status at the end of its interval; urgent
/// writes that found the API server away at once when it is back). While the server is unreachable, one owed write at a
/// time probes it, after a backoff that doubles from <see cref="SessionRouteStoreOptions.RetryDelay"/> to
/// <see cref="SessionRouteStoreOptions.MaxRetryDelay"/>; the first write that lands lets all the others go.
/// </summary>
internal sealed partial class SessionRouteStore
{
    private volatile bool _unreachable;
    private int _failures;
    private long _retryAt;

    /// <summary>Writes every owed route now, due or not (shutdown, tests). Routes the server refuses or cannot take stay owed.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, entry) in _entries)
        {
            if (entry.Owed != Owed.None)
            {
                await WriteAsync(id, inline: false, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task FlushLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = _wake.Current;
            try
            {
                var wait = await WriteDueAsync(cancellationToken).ConfigureAwait(false);
                if (wait == TimeSpan.Zero)
                {
                    continue;
                }

                // The delay is cancelled once the wait ends, so no timer outlives its iteration.
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(wait ?? Timeout.InfiniteTimeSpan, _time, waiting.Token);
                await Task.WhenAny(wake, delay).ConfigureAwait(false);
                await waiting.CancelAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The writer must outlive one bad answer: what it owes stays owed and is tried again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogWriterFailed(e);
                try
                {
                    await Task.Delay(_options.MaxRetryDelay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Writes the routes due now; returns how long until the next one is due (zero: look again at once; null: none owed).</summary>
    private async Task<TimeSpan?> WriteDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_unreachable && now < Volatile.Read(ref _retryAt))
        {
            return _time.GetElapsedTime(now, Volatile.Read(ref _retryAt));
        }

        var due = new List<(string Pool, string Key)>();
        long? next = null;
        foreach (var (id, entry) in _entries)
        {
            if (entry.Owed == Owed.None || entry.InFlight)
            {
                continue;
            }

            if (entry.DueAt <= now)
            {
                due.Add(id);
            }
            else
            {
                next = next is { } n ? Math.Min(n, entry.DueAt) : entry.DueAt;
            }
        }

        foreach (var id in due)
        {
            var (result, _) = await WriteAsync(id, inline: false, cancellationToken).ConfigureAwait(false);
            if (result == WriteResult.Unreachable)
            {
                var backoff = Backoff(Volatile.Read(ref _failures));
                Volatile.Write(ref _retryAt, _time.GetTimestamp() + (long)(backoff.TotalSeconds * _time.TimestampFrequency));
                return backoff;
            }
        }

        if (due.Count > 0)
        {
            return TimeSpan.Zero;
        }

        if (next is null && OwedCount == 0)
        {
            _unreachable = false; // nothing left to probe with: the next write tries the server again
        }

        return next is { } at ? _time.GetElapsedTime(now, at) : null;
    }

    private TimeSpan Backoff(int failures)
    {
        var delay = _options.RetryDelay * Math.Pow(2, Math.Clamp(failures - 1, 0, 20));
        return delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay;
    }

    private void MarkUnreachable(Exception error)
    {
        Interlocked.Increment(ref _failures);
        if (!_unreachable)
        {
            _unreachable = true;
            LogUnreachable(OwedCount, error.Message);
        }
    }

    private void MarkReachable()
    {
        Volatile.Write(ref _failures, 0);
        if (_unreachable)
        {
            _unreachable = false;
            LogReachable(OwedCount);
            _wake.Notify();
        }
    }
}
