using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;

namespace DesktopOperator.Gateway.Tcp.Rdp;

/// <summary>
/// Looks at an RDP client's first bytes without consuming them: on return every byte read is still in the pipe
/// (<c>AdvanceTo(consumed: start)</c>), so the pump sends the Connection Request to the chosen host unchanged.
/// Bounded by <see cref="TcpProxyOptions.MaxHandshakeBytes"/> and <see cref="TcpProxyOptions.HandshakeTimeout"/>.
/// </summary>
internal static class RdpHandshake
{
    public static async Task<RdpHandshakeResult> ReadAsync(PipeReader input, TcpProxyOptions options, TimeProvider timeProvider, CancellationToken shutdown)
    {
        using var timeout = new TimeoutScope(options.HandshakeTimeout, timeProvider, shutdown);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.Token.IsCancellationRequested)
            {
                return timeout.TimedOut
                    ? new RdpHandshakeResult(TcpProxyError.HandshakeTimeout, "timeout", null)
                    : new RdpHandshakeResult(TcpProxyError.Canceled, null, null);
            }
            catch (ConnectionAbortedException)
            {
                return new RdpHandshakeResult(TcpProxyError.ClientRead, null, null);
            }
            catch (IOException)
            {
                return new RdpHandshakeResult(TcpProxyError.ClientRead, null, null);
            }

            var buffer = result.Buffer;
            var parsed = RdpConnectionRequestParser.Parse(buffer, options.MaxHandshakeBytes);
            switch (parsed.Status)
            {
                case RdpParseStatus.Parsed:
                    input.AdvanceTo(buffer.Start);
                    return new RdpHandshakeResult(TcpProxyError.None, null, parsed.AffinityKey);
                case RdpParseStatus.Malformed:
                    input.AdvanceTo(buffer.Start);
                    return new RdpHandshakeResult(TcpProxyError.HandshakeMalformed, parsed.Reason, null);
                default:
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        input.AdvanceTo(buffer.Start);
                        return new RdpHandshakeResult(TcpProxyError.HandshakeMalformed, RdpMalformedReason.Truncated, null);
                    }

                    // Nothing consumed, everything examined: the next read waits for more bytes.
                    input.AdvanceTo(buffer.Start, buffer.End);
                    break;
            }
        }
    }
}
