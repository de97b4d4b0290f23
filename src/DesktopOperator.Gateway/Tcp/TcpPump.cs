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
/// <para>Half-close, both ways: when the client finishes sending (FIN), the host socket's send side is shut down and
/// the host to client direction goes on until the host finishes. When the host finishes first and the client's
/// socket is at hand (Kestrel's socket transport), the client socket's send side is shut down the same way and the
/// client to host direction goes on (SSH, <c>nc -N</c>). Without the socket, the client's output pipe is completed,
/// which closes the client connection for both directions (Kestrel's transports have no half-close).</para>
/// <para>Cancellation: one token, the activity <see cref="TimeoutScope"/>, canceled by gateway
/// shutdown, by the idle timer (reset on every read and write) or by the pump itself when a direction fails.
/// Kestrel's <c>ConnectionClosed</c> is not linked in: the socket transport fires it on the client's FIN, which
/// would cut off the host-to-client half; a reset shows up as a failed read or write instead.</para>
/// </summary>
internal static partial class TcpPump
{
    /// <summary>
    /// Receive buffer taken from the client's output pipe: a whole pool block (Kestrel's are 4 KiB), so each flush
    /// is one segment and the transport sends it without building a scatter/gather list.
    /// </summary>
    private const int MinReceiveBuffer = 4096;

    /// <summary>Largest client-to-host buffer copied into one send (the transport reads at most 64 KiB ahead).</summary>
    private const int MaxCoalescedSend = 128 * 1024;

    /// <param name="clientSocket">The client's socket under <paramref name="client"/>, or null: with it, host to
    /// client bytes are sent on it directly so that the host's FIN can be passed on as a FIN.</param>
    public static async Task<TcpProxyError> RunAsync(
        IDuplexPipe client, Socket? clientSocket, Socket upstream, TimeoutScope activity, ByteTally toHost, ByteTally toClient)
    {
        var clientToHost = ClientToHostAsync(client.Input, upstream, activity, toHost);
        var hostToClient = clientSocket is null
            ? HostToClientAsync(upstream, client.Output, activity, toClient)
            : HostToClientSocketAsync(upstream, clientSocket, activity, toClient);

        var first = await Task.WhenAny(clientToHost, hostToClient).ConfigureAwait(false);
        TcpProxyError outcome;
        if (first.Result == TcpProxyError.None && (first == clientToHost || clientSocket is not null))
        {
            // Half-close: one side is done sending and its FIN was passed on; the other may still send.
            outcome = await (first == clientToHost ? hostToClient : clientToHost).ConfigureAwait(false);
        }
        else
        {
            // A direction failed, or the host finished without a client socket to half-close: stop the other one.
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

            // result.Buffer, not a local copy: what lives across the send's await is kept in the state machine.
            if (!result.Buffer.IsEmpty)
            {
                activity.Reset();
                var sent = await SendToHostAsync(upstream, result.Buffer, token).ConfigureAwait(false);
                if (sent != TcpProxyError.None)
                {
                    return sent;
                }

                tally.Add((int)result.Buffer.Length);
                activity.Reset();
            }

            input.AdvanceTo(result.Buffer.End);
            if (result.IsCanceled)
            {
                return TcpProxyError.Canceled;
            }

            if (result.IsCompleted)
            {
                return ShutdownSend(upstream, TcpProxyError.UpstreamWrite);
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
}
