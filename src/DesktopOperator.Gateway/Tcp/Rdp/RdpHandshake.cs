using System.Buffers;
using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp.Rdp;

/// <summary>
/// Reads an RDP client's first bytes for the cookie in its Connection Request. Every byte read is kept in the
/// result's <see cref="ReadAhead"/>, so the pump sends the request to the chosen host unchanged. Waits for the first
/// byte without holding a buffer. Bounded by <see cref="TcpProxyOptions.MaxHandshakeBytes"/> and
/// <see cref="TcpProxyOptions.HandshakeTimeout"/>.
/// </summary>
internal static class RdpHandshake
{
    public static async Task<RdpHandshakeResult> ReadAsync(Socket client, TcpProxyOptions options, TimeProvider timeProvider, CancellationToken shutdown)
    {
        using var timeout = new TimeoutScope(options.HandshakeTimeout, timeProvider, shutdown);
        ReadAhead? bytes = null;
        try
        {
            await client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            bytes = new ReadAhead(options.MaxHandshakeBytes);
            while (true)
            {
                var received = bytes.Free.IsEmpty ? 0 : await client.ReceiveAsync(bytes.Free, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                bytes.Advance(received);
                var parsed = RdpConnectionRequestParser.Parse(new ReadOnlySequence<byte>(bytes.Bytes), options.MaxHandshakeBytes);
                switch (parsed.Status)
                {
                    case RdpParseStatus.Parsed:
                        return new RdpHandshakeResult(TcpProxyError.None, null, parsed.AffinityKey, bytes);
                    case RdpParseStatus.Malformed:
                        return new RdpHandshakeResult(TcpProxyError.HandshakeMalformed, parsed.Reason, null, bytes);
                    default:
                        if (received == 0)
                        {
                            // The client ended (or the buffer is full, which the parser's length check rules out).
                            return new RdpHandshakeResult(TcpProxyError.HandshakeMalformed, RdpMalformedReason.Truncated, null, bytes);
                        }

                        break;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.Token.IsCancellationRequested)
        {
            return timeout.TimedOut
                ? new RdpHandshakeResult(TcpProxyError.HandshakeTimeout, "timeout", null, bytes)
                : new RdpHandshakeResult(TcpProxyError.Canceled, null, null, bytes);
        }
        catch (SocketException)
        {
            return new RdpHandshakeResult(TcpProxyError.ClientRead, null, null, bytes);
        }
    }
}
