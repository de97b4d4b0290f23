using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace DesktopOperator.Gateway.Tcp.Accept;

/// <summary>
/// A listening socket whose accept errors are ours to see: Kestrel's <c>SocketConnectionListener</c> catches every
/// failed accept and retries at once, so at EMFILE it loops on <c>accept4</c> without end (the runtime then failed to
/// start a thread and aborted). Here each failure goes to the listener's <see cref="AcceptEpisode"/> (counted, logged
/// once, backed off) and the accepted socket becomes a <see cref="ConnectionContext"/> through Kestrel's public
/// <see cref="SocketConnectionContextFactory"/>, so pipes, memory pool and I/O scheduling are the socket transport's.
/// <see cref="AcceptAsync"/> returns null once unbound or disposed and never throws a socket error; one caller at a
/// time, as Kestrel and <see cref="TcpListenerManager"/> call it. Its token is not observed (neither caller passes
/// one): unbinding is what ends a pending accept, also during a backoff.
/// </summary>
internal sealed class GatewaySocketListener : IConnectionListener
{
    private readonly Socket _socket;
    private readonly SocketConnectionContextFactory _contexts;
    private readonly AcceptEpisode _episode;
    private readonly bool _noDelay;
    private readonly Func<CancellationToken, ValueTask<Socket>> _accept;
    private readonly CancellationTokenSource _unbound = new();
    private int _disposed;

    public GatewaySocketListener(Socket socket, SocketConnectionContextFactory contexts, AcceptEpisode episode, bool noDelay)
    {
        _socket = socket;
        _accept = socket.AcceptAsync; // made once: a method group passed per accept is a new delegate each time
        _contexts = contexts;
        _episode = episode;
        _noDelay = noDelay;
        EndPoint = socket.LocalEndPoint!;
    }

    public EndPoint EndPoint { get; }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var socket = await AcceptSocketAsync(_accept, _episode, _unbound.Token).ConfigureAwait(false);
        if (socket is null)
        {
            return null;
        }

        if (socket.LocalEndPoint is IPEndPoint)
        {
            socket.NoDelay = _noDelay;
        }

        return _contexts.Create(socket);
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

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _unbound.Cancel();
        }

        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the listening socket and the connection factory (its memory pools): call after every connection ended.</summary>
    public async ValueTask DisposeAsync()
    {
        await UnbindAsync(CancellationToken.None).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _contexts.Dispose();
            _unbound.Dispose();
        }
    }
}
