using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>
/// A user's TCP connection through the gateway, from its own source address, kept open: <see cref="Greeting"/>
/// completes with the first line the host sends (its address), which a queued connection receives only once the
/// gateway lets it through. Every read is bounded; disposing closes the connection.
/// </summary>
internal sealed class HeldClient : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90); // for a loaded machine, not a timing claim
    private readonly Socket _socket;
    private readonly CancellationTokenSource _limit = new(Bound);

    private HeldClient(Socket socket)
    {
        _socket = socket;
        Greeting = ReadLineAsync();
    }

    /// <summary>The host's greeting (trimmed), or null when the connection closed before one came.</summary>
    public Task<string?> Greeting { get; }

    /// <summary>Connects from <paramref name="source"/> to <paramref name="gateway"/> and starts waiting for the greeting.</summary>
    public static async Task<HeldClient> ConnectAsync(IPEndPoint gateway, IPAddress source, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(gateway, cancellationToken);
            return new HeldClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="text"/> and returns what comes back in as many bytes (the host echoes).</summary>
    public async Task<string> EchoAsync(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        await _socket.SendAsync(bytes, SocketFlags.None, _limit.Token);
        var buffer = new byte[bytes.Length];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await _socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, _limit.Token);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return Encoding.ASCII.GetString(buffer, 0, length);
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        try
        {
            await Greeting.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // the connection closed while its greeting was awaited: nothing to collect
        }

        _limit.Dispose();
    }

    /// <summary>Reads byte by byte up to the first newline, so no echoed byte is taken with the greeting.</summary>
    private async Task<string?> ReadLineAsync()
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await _socket.ReceiveAsync(one, SocketFlags.None, _limit.Token) == 1)
        {
            if (one[0] == (byte)'\n')
            {
                return line.ToString().Trim();
            }

            line.Append((char)one[0]);
        }

        return null;
    }
}
