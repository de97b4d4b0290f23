using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace DesktopOperator.Gateway.Tcp;

internal static partial class TcpPump
{
    /// <summary>
    /// Sends one read's bytes to the host. Apart from the read loop so that the loop's state machine, which every idle
    /// connection holds while it waits for the client, does not also carry the send's state (the segment enumerator,
    /// the send awaiters: proxy-figures.md, Run 6). A send that completes at once allocates nothing; one that has to
    /// wait takes its state machine from a pool.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<TcpProxyError> SendToHostAsync(Socket upstream, ReadOnlySequence<byte> buffer, CancellationToken token)
    {
        try
        {
            if (buffer.IsSingleSegment)
            {
                await upstream.SendAsync(buffer.First, SocketFlags.None, token).ConfigureAwait(false);
            }
            else if (buffer.Length <= MaxCoalescedSend)
            {
                await SendCoalescedAsync(upstream, buffer, token).ConfigureAwait(false);
            }
            else
            {
                foreach (var segment in buffer)
                {
                    await upstream.SendAsync(segment, SocketFlags.None, token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return TcpProxyError.Canceled;
        }
        catch (SocketException)
        {
            return TcpProxyError.UpstreamWrite;
        }

        return TcpProxyError.None;
    }

    /// <summary>
    /// Sends a multi-block buffer (the client sent faster than the host took it) with one send instead of one per
    /// 4 KiB block: the blocks are copied into one rented array, which costs less than the system calls it saves
    /// (proxy-figures.md, Run 3). Rented only while the send runs, so a quiet connection holds nothing.
    /// </summary>
    private static async ValueTask SendCoalescedAsync(Socket upstream, ReadOnlySequence<byte> buffer, CancellationToken token)
    {
        var length = (int)buffer.Length;
        var array = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.CopyTo(array);
            await upstream.SendAsync(array.AsMemory(0, length), SocketFlags.None, token).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
