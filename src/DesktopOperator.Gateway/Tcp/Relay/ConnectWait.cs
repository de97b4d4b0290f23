using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp.Relay;

/// <summary>
/// A non-blocking connect in progress, in a <see cref="RelayLoop"/>'s set until the socket turns writable (connected,
/// or failed: the result is then in SO_ERROR) or the wait is canceled.
/// </summary>
internal sealed class ConnectWait(RelayLoop loop, Socket socket) : LoopEntry(socket, nonBlocking: true)
{
    private readonly TaskCompletionSource<SocketError?> _completion = new();
    private int _ended;

    public Socket Socket { get; } = socket;

    /// <summary>The loop the wait is posted to, for its cancellation.</summary>
    public RelayLoop Loop { get; } = loop;

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
