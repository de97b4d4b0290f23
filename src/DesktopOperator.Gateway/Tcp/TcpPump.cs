using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Copies bytes both ways between a client (Kestrel's pipes) and a host (a connected <see cref="Socket"/>) until both
/// directions end, and returns one outcome. No exception leaves it.
/// <para>Memory: while a connection is quiet nothing is rented. Client to host, Kestrel's socket transport waits
/// for data (zero-byte read) before it rents a block, and the pipe's segments are sent to the host socket as they
/// are. Host to client, a zero-byte receive waits for data, and only then is a block taken from the client's
/// output pipe to receive into.</para>
/// <para>Half-close: when the client finishes sending (FIN), the host socket's send side is shut down and the host
/// to client direction goes on until the host finishes. When the host finishes first, the client's output is
/// completed; Kestrel's socket transport then closes the client socket for both directions (it has no half-close),
/// so the connection ends with the rest of the host's bytes delivered.</para>
/// <para>Cancellation: one token, the activity <see cref="TimeoutScope"/>, canceled by gateway
/// shutdown, by the idle timer (reset on every read and write) or by the pump itself when a direction fails.
/// Kestrel's <c>ConnectionClosed</c> is not linked in: the socket transport fires it on the client's FIN, which
/// would cut off the host-to-client half; a reset shows up as a failed read or write instead.</para>
/// </summary>
internal static class TcpPump
{
    /// <summary>
    /// Receive buffer taken from the client's output pipe: a whole pool block (Kestrel's are 4 KiB), so each flush
    /// is one segment and the transport sends it without building a scatter/gather list.
    /// </summary>
    private const int MinReceiveBuffer = 4096;

    /// <summary>Largest client-to-host buffer copied into one send (the transport reads at most 64 KiB ahead).</summary>
    private const int MaxCoalescedSend = 128 * 1024;

    public static async Task<TcpProxyError> RunAsync(IDuplexPipe client, Socket upstream, TimeoutScope activity, ByteTally toHost, ByteTally toClient)
    {
        var clientToHost = ClientToHostAsync(client.Input, upstream, activity, toHost);
        var hostToClient = HostToClientAsync(upstream, client.Output, activity, toClient);

        var first = await Task.WhenAny(clientToHost, hostToClient).ConfigureAwait(false);
        TcpProxyError outcome;
        if (first == clientToHost && clientToHost.Result == TcpProxyError.None)
        {
            // Half-close: the client is done sending; the host may still answer.
            outcome = await hostToClient.ConfigureAwait(false);
        }
        else
        {
            // The host finished (the client socket is about to close) or a direction failed: stop the other one.
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

    private static async Task<TcpProxyError> ClientToHostAsync(PipeReader input, Socket upstream, TimeoutScope activity, ByteTally tally)
    {
        var token = activity.Token;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return TcpProxyError.Canceled;
            }
            catch (ConnectionAbortedException)
            {
                return TcpProxyError.ClientRead;
            }
            catch (IOException)
            {
                return TcpProxyError.ClientRead;
            }

            var buffer = result.Buffer;
            if (!buffer.IsEmpty)
            {
                activity.Reset();
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

                tally.Add((int)buffer.Length);
                activity.Reset();
            }

            input.AdvanceTo(buffer.End);
            if (result.IsCanceled)
            {
                return TcpProxyError.Canceled;
            }

            if (result.IsCompleted)
            {
                return ShutdownSend(upstream);
            }
        }
    }

    private static async Task<TcpProxyError> HostToClientAsync(Socket upstream, PipeWriter output, TimeoutScope activity, ByteTally tally)
    {
        var token = activity.Token;
        var mayHaveMore = false;
        while (true)
        {
            int received;
            try
            {
                if (!mayHaveMore)
                {
                    // Wait for data without holding a buffer.
                    await upstream.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, token).ConfigureAwait(false);
                }

                var memory = output.GetMemory(MinReceiveBuffer);
                received = await upstream.ReceiveAsync(memory, SocketFlags.None, token).ConfigureAwait(false);
                mayHaveMore = received == memory.Length;
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
                return TcpProxyError.None;
            }

            output.Advance(received);
            activity.Reset();
            tally.Add(received);
            FlushResult flush;
            try
            {
                flush = await output.FlushAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return TcpProxyError.Canceled;
            }
            catch (IOException)
            {
                return TcpProxyError.ClientWrite;
            }

            if (flush.IsCanceled)
            {
                return TcpProxyError.Canceled;
            }

            if (flush.IsCompleted)
            {
                return TcpProxyError.ClientWrite;
            }

            activity.Reset();
        }
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

    private static TcpProxyError ShutdownSend(Socket upstream)
    {
        try
        {
            upstream.Shutdown(SocketShutdown.Send);
            return TcpProxyError.None;
        }
        catch (SocketException)
        {
            return TcpProxyError.UpstreamWrite;
        }
    }
}
