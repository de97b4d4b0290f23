using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DesktopOperator.Testing.Net;

/// <summary>Waits for a TCP endpoint to accept connections (and optionally to greet with a banner), by polling.</summary>
public static class PortProbe
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// True if a connection to <paramref name="endpoint"/> succeeds now. The handshake is left half-open and reset, as
    /// the gateway's TCP check does (Gateway's <c>HalfOpenConnect</c>: <c>TCP_DEFER_ACCEPT</c> holds back its last ACK),
    /// so the server's application never accepts it: a server that counts early hang-ups as failed logins of the
    /// source address (TigerVNC) has nothing to count, however often the simulated kubelet probes it.
    /// </summary>
    public static async Task<bool> IsOpenAsync(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { LingerState = new LingerOption(true, 0) };
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(6 /* IPPROTO_TCP */, 9 /* TCP_DEFER_ACCEPT */, BitConverter.GetBytes(1));
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(endpoint, attempt.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Polls until <paramref name="endpoint"/> accepts a connection. Stops early, returning false, when
    /// <paramref name="giveUp"/> says so (the server process died) or <paramref name="timeout"/> passes.
    /// </summary>
    public static async Task<bool> WaitUntilOpenAsync(
        IPEndPoint endpoint, TimeSpan timeout, Func<bool>? giveUp, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            while (true)
            {
                if (giveUp?.Invoke() == true)
                {
                    return false;
                }

                if (await IsOpenAsync(endpoint, limit.Token))
                {
                    return true;
                }

                await Task.Delay(PollInterval, limit.Token);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Connects and reads what the server sends first, up to <paramref name="maxBytes"/> or a newline; null when it
    /// does not connect or greet within <paramref name="timeout"/>. Used for servers that speak first (RFB, SSH).
    /// </summary>
    public static async Task<string?> ReadBannerAsync(
        IPEndPoint endpoint, TimeSpan timeout, CancellationToken cancellationToken, int maxBytes = 255)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var buffer = new byte[maxBytes];
        var length = 0;
        try
        {
            await socket.ConnectAsync(endpoint, limit.Token);
            while (length < maxBytes && Array.IndexOf(buffer, (byte)'\n', 0, length) < 0)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, limit.Token);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (SocketException)
        {
            return length > 0 ? Encoding.ASCII.GetString(buffer, 0, length) : null;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return length > 0 ? Encoding.ASCII.GetString(buffer, 0, length) : null;
        }

        return Encoding.ASCII.GetString(buffer, 0, length);
    }

    /// <summary>Polls until <see cref="ReadBannerAsync"/> returns text starting with <paramref name="prefix"/>.</summary>
    public static async Task<bool> WaitForBannerAsync(
        IPEndPoint endpoint, string prefix, TimeSpan timeout, Func<bool>? giveUp, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            while (true)
            {
                if (giveUp?.Invoke() == true)
                {
                    return false;
                }

                var banner = await ReadBannerAsync(endpoint, TimeSpan.FromSeconds(2), limit.Token);
                if (banner?.StartsWith(prefix, StringComparison.Ordinal) == true)
                {
                    return true;
                }

                await Task.Delay(PollInterval, limit.Token);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
