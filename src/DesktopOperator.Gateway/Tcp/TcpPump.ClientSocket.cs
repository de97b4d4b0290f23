using System.Buffers;
using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp;

internal static partial class TcpPump
{
    /// <summary>
    /// Receive buffer of the direct host-to-client path, rented only while data flows: a read that fills it is
    /// followed at once by the next one, into a buffer four times larger up to <see cref="LargestDirectReceiveBuffer"/>
    /// (a bulk flow: fewer reads, sends and wake-ups per byte); a read that does not fill it gives it back.
    /// </summary>
    private const int DirectReceiveBuffer = 16 * 1024;

    private const int LargestDirectReceiveBuffer = 64 * 1024;

    /// <summary>
    /// Host to client straight onto the client's socket instead of through Kestrel's output pipe (which stays empty),
    /// so that the host's FIN reaches the client as a FIN: completing the output pipe would make the socket transport
    /// close the client socket both ways and cut the client-to-host half off. Sending here is safe while the
    /// transport's send loop has nothing to send; the pipe is completed only after the pump, when the socket closes.
    /// </summary>
    private static async Task<TcpProxyError> HostToClientSocketAsync(Socket upstream, Socket client, TimeoutScope activity, ByteTally tally)
    {
        var token = activity.Token;
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                int received;
                try
                {
                    if (buffer is null)
                    {
                        // Wait for data without holding a buffer.
                        await upstream.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, token).ConfigureAwait(false);
                        buffer = ArrayPool<byte>.Shared.Rent(DirectReceiveBuffer);
                    }

                    received = await upstream.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return TcpProxyError.Canceled;
                }
                catch (SocketException)
                {
                    return TcpProxyError.UpstreamRead;
                }

                if (received == 0)
                {
                    return ShutdownSend(client, TcpProxyError.ClientWrite);
                }

                activity.Reset();
                tally.Add(received);
                try
                {
                    await SocketSend.AllAsync(client, buffer.AsMemory(0, received), token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return TcpProxyError.Canceled;
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    return TcpProxyError.ClientWrite;
                }

                activity.Reset();
                if (received < buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
                else if (buffer.Length < LargestDirectReceiveBuffer)
                {
                    var larger = Math.Min(buffer.Length * 4, LargestDirectReceiveBuffer);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(larger);
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
