namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// One cancellation token for a piece of a connection's life, canceled by whichever comes first: the outer token
/// (gateway shutdown), a timer on the injected <see cref="TimeProvider"/> that <see cref="Reset"/> restarts (YARP's
/// activity timeout: reset it on every read and write), or <see cref="Cancel"/>. Afterwards <see cref="TimedOut"/>
/// tells which. A zero or infinite timeout never fires. Thread-safe; <see cref="Reset"/> does not allocate.
/// </summary>
internal sealed class TimeoutScope : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _outerRegistration;
    private readonly CancellationToken _outer;
    private readonly TimeSpan _timeout;
    private volatile bool _canceledByOwner;

    public TimeoutScope(TimeSpan timeout, TimeProvider timeProvider, CancellationToken outer)
    {
        _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        _outer = outer;
        _timeout = timeout > TimeSpan.Zero ? timeout : Timeout.InfiniteTimeSpan;
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
}
