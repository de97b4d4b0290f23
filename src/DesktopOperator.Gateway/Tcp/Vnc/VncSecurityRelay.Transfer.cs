using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace DesktopOperator.Gateway.Tcp.Vnc;

/// <summary>The relay's byte moves: whole messages in from either side, passed on to the other in order.</summary>
internal sealed partial class VncSecurityRelay
{
    /// <summary>Exactly <paramref name="count"/> bytes from the host, forwarded to the client; null when the host ended first.</summary>
    private async Task<byte[]?> FromHostAsync(int count)
    {
        var token = _activity.Token;
        var message = new byte[count];
        var filled = 0;
        try
        {
            while (filled < count)
            {
                var read = await _upstream.ReceiveAsync(message.AsMemory(filled), SocketFlags.None, token).ConfigureAwait(false);
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
            return End(Canceled());
        }
        catch (SocketException)
        {
            return End(TcpProxyError.UpstreamRead);
        }

        if (filled > 0 && !await ToClientAsync(message.AsMemory(0, filled)).ConfigureAwait(false))
        {
            return null;
        }

        return filled == count ? message : End(TcpProxyError.None);
    }

    /// <summary>
    /// Sends host bytes to the client the way the pump will send the rest. With the client's socket at hand the pump
    /// sends on it directly (<see cref="TcpPump"/>, for half-close); bytes written to Kestrel's output pipe instead
    /// would wait for the transport's send loop, and the pump's first send (the failure reason right behind a
    /// SecurityResult) could reach the client before them.
    /// </summary>
    private async Task<bool> ToClientAsync(ReadOnlyMemory<byte> bytes)
    {
        var token = _activity.Token;
        try
        {
            if (_clientSocket is not null)
            {
                await SocketSend.AllAsync(_clientSocket, bytes, token).ConfigureAwait(false);
            }
            else
            {
                var flush = await _client.Output.WriteAsync(bytes, token).ConfigureAwait(false);
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    End(flush.IsCanceled ? Canceled() : TcpProxyError.ClientWrite);
                    return false;
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            End(Canceled());
            return false;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            End(TcpProxyError.ClientWrite);
            return false;
        }

        _toClient.Add(bytes.Length);
        _activity.Reset();
        return true;
    }

    /// <summary>Exactly <paramref name="count"/> bytes from the client, forwarded to the host; null when the client ended first.</summary>
    private async Task<byte[]?> FromClientAsync(int count)
    {
        var token = _activity.Token;
        var input = _client.Input;
        ReadResult result;
        try
        {
            while (true)
            {
                result = await input.ReadAsync(token).ConfigureAwait(false);
                if (result.Buffer.Length >= count || result.IsCompleted || result.IsCanceled)
                {
                    break;
                }

                input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return End(Canceled());
        }
        catch (Exception ex) when (ex is ConnectionAbortedException or IOException)
        {
            return End(TcpProxyError.ClientRead);
        }

        var buffer = result.Buffer;
        if (buffer.Length < count)
        {
            input.AdvanceTo(buffer.End);
            return End(result.IsCanceled ? TcpProxyError.Canceled : TcpProxyError.None);
        }

        var message = buffer.Slice(0, count).ToArray();
        input.AdvanceTo(buffer.GetPosition(count));
        _activity.Reset();
        try
        {
            await _upstream.SendAsync(message, SocketFlags.None, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return End(Canceled());
        }
        catch (SocketException)
        {
            return End(TcpProxyError.UpstreamWrite);
        }

        _toHost.Add(count);
        return message;
    }
}
