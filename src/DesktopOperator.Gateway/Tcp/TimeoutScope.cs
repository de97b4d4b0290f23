namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// One cancellation token for a piece of a connection's life, canceled by whichever comes first: the outer token
/// (gateway shutdown), a timer on the injected <see cref="TimeProvider"/> that <see cref="Reset"/> restarts (YARP's
/// activity timeout: reset it on every read and write), or <see cref="Cancel"/>. Afterwards <see cref="TimedOut"/>
/// tells which. A zero or infinite timeout never fires. Thread-safe; <see cref="Reset"/> does not allocate.
/// <para>One scope can serve two pieces of a connection in turn (<see cref="TryRestart"/>): the connect to the host,
/// then the idle timeout of the relay, so a connection makes one CTS, timer and registration instead of two.</para>
/// </summary>
internal sealed class TimeoutScope : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _outerRegistration;
    private readonly CancellationToken _outer;
    private TimeSpan _timeout;
    private volatile bool _canceledByOwner;

    public TimeoutScope(TimeSpan timeout, TimeProvider timeProvider, CancellationToken outer)
    {
        _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        _outer = outer;
        _timeout = Normalize(timeout);
        _outerRegistration = outer.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _source);
        Token = _source.Token;
        Reset();
    }

    public CancellationToken Token { get; }

    /// <summary>The timer fired: neither the outer token nor <see cref="Cancel"/> caused the cancellation.</summary>
    public bool TimedOut => _source.IsCancellationRequested && !_outer.IsCancellationRequested && !_canceledByOwner;

    /// <summary>The outer token (gateway shutdown) caused the cancellation.</summary>
    public bool OuterCanceled => _outer.IsCancellationRequested;

    public void Reset()
    {
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            _source.CancelAfter(_timeout);
        }
    }

    /// <summary>
    /// Starts the next piece of the connection's life with <paramref name="timeout"/> (a zero or infinite one stops
    /// the timer). False when the scope was canceled before the restart took: the caller needs a new one. Call it
    /// before the token is handed to the next piece, not while <see cref="Reset"/> may run.
    /// </summary>
    public bool TryRestart(TimeSpan timeout)
    {
        if (_source.IsCancellationRequested)
        {
            return false;
        }

        _timeout = Normalize(timeout);
        _source.CancelAfter(_timeout);
        return !_source.IsCancellationRequested;
    }

    /// <summary>Cancels, unless already canceled (then the earlier cause is kept).</summary>
    public void Cancel()
    {
        if (!_source.IsCancellationRequested)
        {
            _canceledByOwner = true;
            _source.Cancel();
        }
    }

    public void Dispose()
    {
        _outerRegistration.Dispose();
        _source.Dispose();
    }

    private static TimeSpan Normalize(TimeSpan timeout) => timeout > TimeSpan.Zero ? timeout : Timeout.InfiniteTimeSpan;
}
