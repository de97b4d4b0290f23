using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp.Vnc;

/// <summary>The relay's byte moves: whole messages in from either side, passed on to the other in order.</summary>
internal sealed partial class VncSecurityRelay
{
    /// <summary>Exactly <paramref name="count"/> bytes from the host, forwarded to the client; null when the host ended first.</summary>
    private Task<byte[]?> FromHostAsync(int count) =>
        MoveAsync(_upstream, _client, count, TcpProxyError.UpstreamRead, TcpProxyError.ClientWrite, _toClient);

    /// <summary>Exactly <paramref name="count"/> bytes from the client, forwarded to the host; null when the client ended first.</summary>
    private Task<byte[]?> FromClientAsync(int count) =>
        MoveAsync(_client, _upstream, count, TcpProxyError.ClientRead, TcpProxyError.UpstreamWrite, _toHost);

    /// <summary>One message: <paramref name="count"/> bytes from <paramref name="from"/>, passed on to <paramref name="to"/> (also a short one, when the sender ended).</summary>
    private async Task<byte[]?> MoveAsync(Socket from, Socket to, int count, TcpProxyError readFailed, TcpProxyError writeFailed, ByteTally tally)
    {
        var message = new byte[count];
        var filled = await ReceiveAsync(from, message, readFailed).ConfigureAwait(false);
        if (filled < 0 || (filled > 0 && !await SendAsync(to, message.AsMemory(0, filled), writeFailed, tally).ConfigureAwait(false)))
        {
            return null;
        }

        return filled == count ? message : End(TcpProxyError.None);
    }

    /// <summary>Fills <paramref name="message"/> unless the sender ends first; the bytes received, or -1 once ended with an error.</summary>
    private async Task<int> ReceiveAsync(Socket from, byte[] message, TcpProxyError onFailure)
    {
        var token = _activity.Token;
        var filled = 0;
        try
        {
            while (filled < message.Length)
            {
                var read = await from.ReceiveAsync(message.AsMemory(filled), SocketFlags.None, token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
                _activity.Reset();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            End(Canceled());
            return -1;
        }
        catch (SocketException)
        {
            End(onFailure);
            return -1;
        }

        return filled;
    }

    /// <summary>
    /// Sends <paramref name="bytes"/> the way the pump will send the rest (<see cref="SocketSend"/> on the same socket),
    /// so the pump's first bytes never overtake them; false once ended with an error.
    /// </summary>
    private async Task<bool> SendAsync(Socket to, ReadOnlyMemory<byte> bytes, TcpProxyError onFailure, ByteTally tally)
    {
        var token = _activity.Token;
        try
        {
            await SocketSend.AllAsync(to, bytes, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            End(Canceled());
            return false;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            End(onFailure);
            return false;
        }

        tally.Add(bytes.Length);
        _activity.Reset();
        return true;
    }
}
