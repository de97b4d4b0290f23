using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp.Vnc;

/// <summary>The relay's byte moves: whole messages in from either side, passed on to the other in order.</summary>
internal sealed partial class VncSecurityRelay
{
    /// <summary>Exactly <paramref name="count"/> bytes from the host, forwarded to the client; null when the host ended first.</summary>
    private async Task<byte[]?> FromHostAsync(int count)
    {
        var message = new byte[count];
        var filled = await ReceiveAsync(_upstream, message, TcpProxyError.UpstreamRead).ConfigureAwait(false);
        if (filled < 0 || (filled > 0 && !await SendAsync(_client, message.AsMemory(0, filled), TcpProxyError.ClientWrite, _toClient).ConfigureAwait(false)))
        {
            return null;
        }

        return filled == count ? message : End(TcpProxyError.None);
    }

    /// <summary>Exactly <paramref name="count"/> bytes from the client, forwarded to the host; null when the client ended first.</summary>
    private async Task<byte[]?> FromClientAsync(int count)
    {
        var message = new byte[count];
        var filled = await ReceiveAsync(_client, message, TcpProxyError.ClientRead).ConfigureAwait(false);
        if (filled < 0 || (filled > 0 && !await SendAsync(_upstream, message.AsMemory(0, filled), TcpProxyError.UpstreamWrite, _toHost).ConfigureAwait(false)))
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
