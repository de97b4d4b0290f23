using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace DesktopOperator.Gateway.Tcp.Relay;

/// <summary>
/// A TCP proxy listener accepting on a <see cref="RelayLoop"/>: the listening socket sits in the loop's set and each
/// accept is made on the loop's thread when epoll reports one waiting, so the new connection's routing and connect
/// run there too, with no wake-up of the socket engine's thread and no hand-off between threads
/// (tests/DesktopOperator.Benchmarks/proxy-figures.md, Run 14). One accept per readiness: the level-triggered set
/// reports the listener again while more wait, and an accept that finds none costs no exception.
/// <para>Once the loop has stopped (disposed, or failed) the socket engine accepts instead. One caller at a time,
/// as for <see cref="Socket.AcceptAsync(CancellationToken)"/>; the loop completes the wait on its own thread.</para>
/// <para>The listening socket is closed here once unbound, by the loop after the socket has left its set: a
/// <see cref="Socket.Dispose()"/> while the loop still holds its descriptor would spin until the loop let it go.</para>
/// </summary>
internal sealed class LoopAcceptor : LoopEntry, IValueTaskSource<Socket?>
{
    private readonly Socket _listener;
    private readonly RelayLoop _loop;
    private readonly CancellationTokenRegistration _unbindingRegistration;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new(); // the end against a wait arriving: after the loop has exited both come from any thread
    private ManualResetValueTaskSourceCore<Socket?> _wait;
    private volatile bool _ended;
    private volatile bool _unbinding;
    private int _closing;

    /// <param name="unbound">Ends accepting: the socket leaves the loop's set and is closed (see <see cref="Closed"/>).</param>
    public LoopAcceptor(RelayLoop loop, Socket listener, CancellationToken unbound)
        : base(listener, nonBlocking: true)
    {
        _loop = loop;
        _listener = listener;
        _unbindingRegistration = unbound.UnsafeRegister(static state => ((LoopAcceptor)state!).RequestEnd(), this);
    }

    /// <summary>Completes once the listening socket is closed, after the unbinding.</summary>
    public Task Closed => _closed.Task;

    /// <summary>An <see cref="AcceptAsync"/> waits for a connection (set once its wait has reached the loop).</summary>
    public bool Waiting { get; private set; }

    /// <summary>The next accepted socket; on the socket engine once the loop has stopped.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Socket> AcceptAsync(CancellationToken cancellationToken)
    {
        if (!_ended && await WaitAsync().ConfigureAwait(false) is { } accepted)
        {
            return accepted;
        }

        return await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wait posted by <see cref="AcceptAsync"/> has reached the loop (or, once it has exited, its poster).</summary>
    public void OnWaitPosted()
    {
        lock (_gate)
        {
            if (!_ended)
            {
                Waiting = true;
                return;
            }
        }

        GoOnWithoutTheLoop();
    }

    /// <summary>
    /// On the loop's thread, when epoll reports the listener readable while <see cref="Waiting"/>: accepts one
    /// connection (the caller continues here) or, on a failure, passes it to the caller as the engine's accept would.
    /// </summary>
    public void AcceptOne()
    {
        Socket accepted;
        try
        {
            accepted = _listener.Accept();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            return; // taken by another process sharing the socket, or reset in between: wait on
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Waiting = false;
            _wait.SetException(e);
            return;
        }

        Waiting = false;
        _wait.SetResult(accepted);
    }

    /// <summary>
    /// Once the socket is out of the loop's set (on the loop's thread, or on a poster's once the loop has exited):
    /// accepting here is over, because it was unbound or the loop stops. A waiting caller goes on with the socket
    /// engine, which sees the unbinding for itself; once unbound, the listening socket is closed. Idempotent.
    /// </summary>
    public void End()
    {
        var first = false;
        var wasWaiting = false;
        lock (_gate)
        {
            if (!_ended)
            {
                (first, wasWaiting, _ended) = (true, Waiting, true);
            }
        }

        if (first)
        {
            _unbindingRegistration.Dispose();
            Release();
            if (wasWaiting)
            {
                GoOnWithoutTheLoop();
            }
        }

        if (_unbinding && Interlocked.Exchange(ref _closing, 1) == 0)
        {
            _listener.Dispose();
            _closed.TrySetResult();
        }
    }

    Socket? IValueTaskSource<Socket?>.GetResult(short token) => _wait.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource<Socket?>.GetStatus(short token) => _wait.GetStatus(token);

    void IValueTaskSource<Socket?>.OnCompleted(
        Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wait.OnCompleted(continuation, state, token, flags);

    private ValueTask<Socket?> WaitAsync()
    {
        _wait.Reset();
        _wait.RunContinuationsAsynchronously = false;
        var wait = new ValueTask<Socket?>(this, _wait.Version);
        _loop.Post(this, cancel: false);
        return wait;
    }

    /// <summary>Ends a wait without a connection; the caller goes on (to the engine's accept, or to stop) off the loop.</summary>
    private void GoOnWithoutTheLoop()
    {
        Waiting = false;
        _wait.RunContinuationsAsynchronously = true;
        _wait.SetResult(null);
    }

    private void RequestEnd()
    {
        _unbinding = true;
        _loop.Post(this, cancel: true);
    }
}
