using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp.Accept;

/// <summary>
/// A listening socket whose accept errors are ours to see: Kestrel's <c>SocketConnectionListener</c> catches every
/// failed accept and retries at once, so at EMFILE it loops on <c>accept4</c> without end (the runtime then failed to
/// start a thread and aborted). Here each failure goes to the listener's <see cref="AcceptEpisode"/> (counted, logged
/// once, backed off). The TCP proxy takes the accepted sockets as they are (<see cref="TcpListenerManager"/>);
/// Kestrel's endpoints take them wrapped in its connections (<see cref="KestrelSocketListener"/>).
/// <see cref="AcceptAsync"/> returns null once unbound or disposed and never throws a socket error; one caller at a
/// time. Unbinding is what ends a pending accept, also during a backoff.
/// </summary>
internal sealed class GatewaySocketListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly AcceptEpisode _episode;
    private readonly bool _setNoDelayPerSocket;
    private readonly Func<CancellationToken, ValueTask<Socket>> _accept;
    private readonly CancellationTokenSource _unbound = new();
    private int _disposed;

    public GatewaySocketListener(Socket socket, AcceptEpisode episode, bool noDelay)
    {
        _socket = socket;
        _accept = socket.AcceptAsync; // made once: a method group passed per accept is a new delegate each time
        _episode = episode;
        EndPoint = socket.LocalEndPoint!;

        // Linux copies TCP_NODELAY from the listening socket to each accepted one: set once here, not once per
        // connection (a system call each). Elsewhere each accepted socket gets it.
        if (noDelay && OperatingSystem.IsLinux() && EndPoint is IPEndPoint)
        {
            socket.NoDelay = true;
        }
        else
        {
            _setNoDelayPerSocket = noDelay;
        }
    }

    public EndPoint EndPoint { get; }

    /// <summary>The next accepted socket (Nagle off as configured), or null once unbound.</summary>
    public async ValueTask<Socket?> AcceptAsync()
    {
        var socket = await AcceptSocketAsync(_accept, _episode, _unbound.Token).ConfigureAwait(false);
        if (_setNoDelayPerSocket && socket?.LocalEndPoint is IPEndPoint)
        {
            socket.NoDelay = true;
        }

        return socket;
    }

    /// <summary>
    /// The accept loop's core, apart from the socket so it can be tested with a scripted <paramref name="accept"/>:
    /// the next accepted socket, or null once <paramref name="unbound"/> is canceled or the listening socket is closed.
    /// </summary>
    internal static async ValueTask<Socket?> AcceptSocketAsync(
        Func<CancellationToken, ValueTask<Socket>> accept, AcceptEpisode episode, CancellationToken unbound)
    {
        while (!unbound.IsCancellationRequested)
        {
            SocketException failure;
            try
            {
                await episode.WaitForReserveAsync(unbound).ConfigureAwait(false);
                var socket = await accept(unbound).ConfigureAwait(false);
                episode.OnAccepted();
                return socket;
            }
            catch (OperationCanceledException) when (unbound.IsCancellationRequested)
            {
                return null;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted)
            {
                return null; // the listening socket was closed under the accept
            }
            catch (SocketException ex)
            {
                failure = ex;
            }

            try
            {
                await episode.OnFailedAsync(failure, unbound).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (unbound.IsCancellationRequested)
            {
                return null;
            }
        }

        return null;
    }

    public void Unbind()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _unbound.Cancel();
        }

        _socket.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Unbind();
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unbound.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
