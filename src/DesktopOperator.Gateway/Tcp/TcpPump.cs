using System.Buffers;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Copies bytes both ways between a client's socket and a host's socket until both directions end, and returns one
/// outcome. No exception leaves it. Each direction is one loop (<see cref="RelayAsync"/>): wait until the source is
/// readable, receive, send all of it, again.
/// <para>Memory: while a connection is quiet nothing is rented: each direction waits for data with a zero-byte
/// receive and only then rents a buffer, which it gives back after a read that did not fill it. A read that fills it
/// is followed at once by the next one into a buffer four times larger, up to <see cref="LargestBuffer"/>: a bulk flow
/// moves up to 64 KiB per system call, as HAProxy (16 KiB buffers, more with splicing) and YARP's StreamCopier do.</para>
/// <para>Half-close, both ways: when one side finishes sending (FIN), the other socket's send side is shut down and
/// the other direction goes on until its side finishes too (SSH, <c>nc -N</c>). The direction that finishes second
/// leaves its FIN to the close that follows at once (the caller closes both sockets when this returns): one
/// <c>shutdown(2)</c> per connection fewer, which is a FIN through the peer's TCP stack (proxy-figures.md, Run 11).</para>
/// <para>Cancellation: one token, the activity <see cref="TimeoutScope"/>, canceled by gateway shutdown, by the idle
/// timer (reset on every read and write) or by the pump itself when a direction fails. A reset shows up as a failed
/// read or write.</para>
/// </summary>
internal static class TcpPump
{
    private const int FirstBuffer = 16 * 1024;

    private const int LargestBuffer = 64 * 1024;

    private static readonly Direction ClientToHost = new(TcpProxyError.ClientRead, TcpProxyError.UpstreamWrite);

    private static readonly Direction HostToClient = new(TcpProxyError.UpstreamRead, TcpProxyError.ClientWrite);

    /// <param name="readAhead">Client bytes read before the host was chosen: sent to the host before anything else.</param>
    public static async Task<TcpProxyError> RunAsync(
        Socket client, ReadOnlyMemory<byte> readAhead, Socket upstream, TimeoutScope activity, ByteTally toHost, ByteTally toClient)
    {
        var finished = new FinishedDirections();
        var clientToHost = readAhead.IsEmpty
            ? RelayAsync(client, upstream, ClientToHost, activity, toHost, finished)
            : ReadAheadThenRelayAsync(client, readAhead, upstream, activity, toHost, finished);
        var hostToClient = RelayAsync(upstream, client, HostToClient, activity, toClient, finished);

        var first = await Task.WhenAny(clientToHost, hostToClient).ConfigureAwait(false);
        TcpProxyError outcome;
        if (first.Result == TcpProxyError.None)
        {
            // Half-close: one side is done sending and its FIN was passed on; the other may still send.
            outcome = await (first == clientToHost ? hostToClient : clientToHost).ConfigureAwait(false);
        }
        else
        {
            // A direction failed: stop the other one.
            outcome = first.Result;
            activity.Cancel();
            await Task.WhenAll(clientToHost, hostToClient).ConfigureAwait(false);
        }

        toHost.Flush();
        toClient.Flush();
        return outcome == TcpProxyError.Canceled ? CancellationCause(activity) : outcome;
    }

    private static TcpProxyError CancellationCause(TimeoutScope activity) =>
        activity.TimedOut ? TcpProxyError.IdleTimeout : TcpProxyError.Canceled;

    private static async Task<TcpProxyError> ReadAheadThenRelayAsync(
        Socket client, ReadOnlyMemory<byte> readAhead, Socket upstream, TimeoutScope activity, ByteTally toHost, FinishedDirections finished)
    {
        var sent = await SendAsync(upstream, readAhead, ClientToHost, activity, toHost).ConfigureAwait(false);
        return sent == TcpProxyError.None
            ? await RelayAsync(client, upstream, ClientToHost, activity, toHost, finished).ConfigureAwait(false)
            : sent;
    }

    /// <summary>One direction, until <paramref name="from"/> finishes sending (its FIN is passed on) or a read or write fails.</summary>
    private static async Task<TcpProxyError> RelayAsync(
        Socket from, Socket to, Direction direction, TimeoutScope activity, ByteTally tally, FinishedDirections finished)
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
                        await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, token).ConfigureAwait(false);
                        buffer = ArrayPool<byte>.Shared.Rent(FirstBuffer);
                    }

                    received = await from.ReceiveAsync(buffer, SocketFlags.None, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return TcpProxyError.Canceled;
                }
                catch (SocketException)
                {
                    return direction.ReadFailed;
                }

                if (received == 0)
                {
                    // The second direction to finish: both sockets are closed next, and the close sends this FIN.
                    return finished.FinishOne() ? ShutdownSend(to, direction.WriteFailed) : TcpProxyError.None;
                }

                var sent = await SendAsync(to, buffer.AsMemory(0, received), direction, activity, tally).ConfigureAwait(false);
                if (sent != TcpProxyError.None)
                {
                    return sent;
                }

                if (received < buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = null;
                }
                else if (buffer.Length < LargestBuffer)
                {
                    var larger = Math.Min(buffer.Length * 4, LargestBuffer);
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

    /// <summary>
    /// Sends all of one read. Apart from the read loop so that the loop's state machine, which every idle connection
    /// holds while it waits, does not also carry the send's state (proxy-figures.md, Run 6). A send the kernel takes at
    /// once allocates nothing; one that has to wait takes its state machine from a pool.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<TcpProxyError> SendAsync(
        Socket to, ReadOnlyMemory<byte> bytes, Direction direction, TimeoutScope activity, ByteTally tally)
    {
        var token = activity.Token;
        activity.Reset();
        tally.Add(bytes.Length);
        try
        {
            await SocketSend.AllAsync(to, bytes, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return TcpProxyError.Canceled;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return direction.WriteFailed;
        }

        activity.Reset();
        return TcpProxyError.None;
    }

    /// <summary>Passes a FIN on: shuts down the send side of <paramref name="socket"/>, whose receive side goes on.</summary>
    private static TcpProxyError ShutdownSend(Socket socket, TcpProxyError onFailure)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            return TcpProxyError.None;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return onFailure;
        }
    }

    /// <summary>Counts the directions whose source finished sending; shared by the two loops of one connection.</summary>
    private sealed class FinishedDirections
    {
        private int _count;

        /// <summary>True for the first direction to finish (the other goes on), false for the second.</summary>
        public bool FinishOne() => Interlocked.Increment(ref _count) == 1;
    }

    /// <summary>The errors of one direction: its source's read failing, its destination's write failing.</summary>
    private sealed record Direction(TcpProxyError ReadFailed, TcpProxyError WriteFailed);
}
