using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp.Relay;

/// <summary>
/// A non-blocking connect in progress, in a <see cref="RelayLoop"/>'s set until the socket turns writable (connected,
/// or failed: the result is then in SO_ERROR) or the wait is canceled. Watched one-shot: once reported, the socket stays
/// in the set, disabled (no DEL), for the relay that follows on the same loop to re-enable with one MOD; a socket
/// closed instead leaves the set by its close.
/// </summary>
internal sealed class ConnectWait : LoopEntry
{
    private readonly TaskCompletionSource<SocketError?> _completion = new();
    private int _ended;

    public ConnectWait(RelayLoop loop, Socket socket)
        : base(socket)
    {
        Loop = loop;

        // One fcntl, where Socket.Blocking makes two and gives the socket the socket engine's per-socket state for
        // good (a few hundred bytes per connection), though the engine never sees it. The Socket keeps taking itself for blocking: nothing
        // the gateway does on a host's socket relies on that (SocketSend sets Blocking itself, the rest is asynchronous).
        if (!EpollInterop.TrySetNonBlocking(Fd))
        {
            socket.Blocking = false;
        }
    }

    /// <summary>The loop the wait is posted to, for its cancellation.</summary>
    public RelayLoop Loop { get; }

    /// <summary>The connect's result (<see cref="SocketError.Success"/> or why it failed), or null when canceled.</summary>
    public Task<SocketError?> Completion => _completion.Task;

    /// <summary>Completes once (later calls do nothing); the awaiting connect continues here.</summary>
    public void End(SocketError? result)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            Release();
            _completion.TrySetResult(result);
        }
    }
}
