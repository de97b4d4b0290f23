using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Watches a queued client's socket so that a client that gives up leaves the queue at once (HAProxy's
/// <c>abortonclose</c>) instead of holding its place until the queue timeout and being given a slot after it has
/// gone. It waits until the socket is readable without reading (a zero-byte receive), then peeks to tell what came:
/// a reset always means gone; bytes mean a client that is there (they stay in the socket for the pump; a later reset is the
/// pump's to see); a FIN with nothing before it means gone only where <c>finMeansGone</c> (RDP, VNC and SSH clients
/// never half-close before the server has answered; a plain TCP client may send its request and half-close, so there
/// the FIN is kept for the host).
/// <para>Single use: one watch per queued connection, disposed before the pump reads the socket (disposing cancels
/// the pending receive, which leaves the socket as it was).</para>
/// </summary>
internal sealed class QueuedClientWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _gone;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;
    private volatile bool _clientGone;

    private QueuedClientWatch(Socket client, bool finMeansGone, CancellationToken outer)
    {
        _gone = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _watching = WatchAsync(client, finMeansGone);
    }

    /// <summary>Canceled when the client has gone, or by the outer token.</summary>
    public CancellationToken Token => _gone.Token;

    /// <summary>The client has gone (not the outer token).</summary>
    public bool ClientGone => _clientGone;

    public static QueuedClientWatch Start(Socket client, bool finMeansGone, CancellationToken outer) => new(client, finMeansGone, outer);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        _stop.Dispose();
        _gone.Dispose();
    }

    private async Task WatchAsync(Socket client, bool finMeansGone)
    {
        var token = _stop.Token;
        try
        {
            await client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return;
        }
        catch (SocketException)
        {
            await LeaveAsync().ConfigureAwait(false);
            return;
        }

        // Readable: bytes waiting, the client's FIN, or a reset (which a zero-byte receive does not report). A peek
        // tells them apart without taking anything, and cannot block: the socket is readable.
        if (Peek(client) is var peeked && (peeked < 0 || (peeked == 0 && finMeansGone)))
        {
            await LeaveAsync().ConfigureAwait(false);
        }
    }

    /// <summary>1 when bytes are waiting (or none after all), 0 at the client's FIN, -1 when the connection was reset.</summary>
    private static int Peek(Socket client)
    {
        Span<byte> first = stackalloc byte[1];
        try
        {
            var peeked = client.Receive(first, SocketFlags.Peek, out var error);
            return error switch
            {
                SocketError.Success => peeked,
                SocketError.WouldBlock => 1, // nothing came after all: the client is still there
                _ => -1,
            };
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
    }

    private async Task LeaveAsync()
    {
        _clientGone = true;
        await _gone.CancelAsync().ConfigureAwait(false);
    }
}
