using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>
/// Shared shape of the probes: connect (a refusal is <see cref="ProbeOutcome.ConnectFailed"/>; no socket for lack of
/// descriptors is <see cref="ProbeOutcome.NotRun"/>), then a bounded exchange (a reset is
/// <see cref="ProbeOutcome.Closed"/>); the socket is closed whatever happens.
/// </summary>
internal abstract class ConnectingProbe : IHealthProbe
{
    public abstract string Name { get; }

    public virtual Task<ProbeResult> ProbeAsync(string address, int port, CancellationToken cancellationToken) =>
        ConnectAndExchangeAsync(address, port, ExchangeAsync, cancellationToken);

    /// <summary>Connects (after <paramref name="prepare"/> set up the socket), runs <paramref name="exchange"/> on it, closes it.</summary>
    protected static async Task<ProbeResult> ConnectAndExchangeAsync(
        string address, int port, Func<Socket, CancellationToken, Task<ProbeResult>> exchange, CancellationToken cancellationToken,
        Action<Socket>? prepare = null)
    {
        Socket socket;
        try
        {
            socket = await ConnectAsync(address, port, prepare, cancellationToken);
        }
        catch (SocketException ex)
        {
            return ConnectError(ex);
        }

        using (socket)
        {
            try
            {
                return await exchange(socket, cancellationToken);
            }
            catch (SocketException ex)
            {
                return new(ProbeOutcome.Closed, ex.SocketErrorCode.ToString());
            }
        }
    }

    /// <summary>
    /// A failed connect. EMFILE and ENFILE (.NET's <see cref="SocketError.TooManyOpenSockets"/>) come from socket(2) on
    /// the gateway's side: at EMFILE every check would otherwise fail and take every host out of rotation.
    /// </summary>
    internal static ProbeResult ConnectError(SocketException exception) => exception.SocketErrorCode == SocketError.TooManyOpenSockets
        ? new(ProbeOutcome.NotRun, "the gateway is out of file descriptors")
        : new(ProbeOutcome.ConnectFailed, exception.SocketErrorCode.ToString());

    /// <summary>Talks to the connected peer; everything it reads is bounded by the buffers it passes.</summary>
    protected abstract Task<ProbeResult> ExchangeAsync(Socket socket, CancellationToken cancellationToken);

    /// <summary>
    /// Receives into <paramref name="buffer"/> until <paramref name="isComplete"/> accepts what arrived, the buffer
    /// is full, or the peer closes. Returns the number of bytes received.
    /// </summary>
    protected static async Task<int> ReceiveUntilAsync(Socket socket, Memory<byte> buffer, Func<ReadOnlyMemory<byte>, bool> isComplete, CancellationToken cancellationToken)
    {
        var received = 0;
        while (received < buffer.Length)
        {
            var read = await socket.ReceiveAsync(buffer[received..], SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                break;
            }

            received += read;
            if (isComplete(buffer[..received]))
            {
                break;
            }
        }

        return received;
    }

    private static async Task<Socket> ConnectAsync(string address, int port, Action<Socket>? prepare, CancellationToken cancellationToken)
    {
        var ip = IPAddress.TryParse(address, out var parsed)
            ? parsed
            : (await Dns.GetHostAddressesAsync(address, cancellationToken)).FirstOrDefault()
              ?? throw new SocketException((int)SocketError.HostNotFound);
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            prepare?.Invoke(socket);
            await socket.ConnectAsync(new IPEndPoint(ip, port), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Bytes as ASCII for a log line, anything unprintable as a dot.</summary>
    protected static string Printable(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            builder.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }

        return builder.ToString();
    }
}
