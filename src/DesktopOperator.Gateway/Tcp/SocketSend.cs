using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Sends on a connected socket without making it hold send state for the rest of its life: what the kernel takes at
/// once goes through a non-blocking send; only the rest (the peer reads slower than we send) through an asynchronous
/// one. <see cref="Socket.SendAsync(ReadOnlyMemory{byte}, SocketFlags, CancellationToken)"/> caches a
/// <c>SocketAsyncEventArgs</c> on the socket at its first call and keeps it until the socket is closed: about 360 B
/// per idle connection that once received a byte (proxy-figures.md, Run 6). The socket is made non-blocking at the
/// first call; everything else the gateway does on its sockets is asynchronous or a peek of a readable socket.
/// Not for concurrent sends on one socket (neither is SendAsync).
/// </summary>
internal static class SocketSend
{
    /// <summary>Sends all of <paramref name="data"/>; throws as SendAsync does (SocketException, ObjectDisposedException, OperationCanceledException).</summary>
    public static ValueTask AllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (socket.Blocking)
        {
            socket.Blocking = false;
        }

        var sent = socket.Send(data.Span, SocketFlags.None, out var error);
        if (error == SocketError.WouldBlock)
        {
            sent = 0;
        }
        else if (error != SocketError.Success)
        {
            throw new SocketException((int)error);
        }

        return sent == data.Length ? ValueTask.CompletedTask : RestAsync(socket, data[sent..], cancellationToken);
    }

    private static async ValueTask RestAsync(Socket socket, ReadOnlyMemory<byte> rest, CancellationToken cancellationToken) =>
        await socket.SendAsync(rest, SocketFlags.None, cancellationToken).ConfigureAwait(false);
}
