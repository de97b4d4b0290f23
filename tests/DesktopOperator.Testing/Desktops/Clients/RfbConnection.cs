using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DesktopOperator.Testing.Desktops.Clients;

/// <summary>
/// A live RFB 3.8 client session (our own minimal client: VNC Authentication when given a password, else security
/// type None; shared desktop, raw encoding only),
/// opened by <see cref="RfbClient.ConnectAsync"/>. It stays open until disposed, so a test can hold a desktop
/// session across events (a host killed elsewhere) and prove it still answers with <see cref="RequestFrameAsync"/>.
/// Not thread-safe: one caller at a time.
/// </summary>
public sealed class RfbConnection : IAsyncDisposable
{
    private const byte SecurityNone = 1;
    private const byte SecurityVncAuth = 2;
    private readonly Socket _socket;

    private RfbConnection(Socket socket, RfbServerInit serverInit)
    {
        _socket = socket;
        ServerInit = serverInit;
    }

    public RfbServerInit ServerInit { get; }

    public IPEndPoint? LocalEndPoint => _socket.LocalEndPoint as IPEndPoint;

    internal static async Task<RfbConnection> OpenAsync(IPEndPoint server, IPAddress? source, string? password, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(server, cancellationToken);
            var version = Encoding.ASCII.GetString(await ReadExactlyAsync(socket, 12, cancellationToken));
            if (!version.StartsWith("RFB 003.", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"not an RFB server: version line '{version.TrimEnd()}'");
            }

            await socket.SendAsync("RFB 003.008\n"u8.ToArray(), SocketFlags.None, cancellationToken);
            var count = (await ReadExactlyAsync(socket, 1, cancellationToken))[0];
            if (count == 0)
            {
                throw new InvalidDataException("server refused the connection: " + await ReadReasonAsync(socket, cancellationToken));
            }

            var types = await ReadExactlyAsync(socket, count, cancellationToken);
            var wanted = password is null ? SecurityNone : SecurityVncAuth;
            if (Array.IndexOf(types, wanted) < 0)
            {
                throw new InvalidDataException($"server does not offer security type {wanted} (offers {string.Join(',', types)})");
            }

            await socket.SendAsync(new[] { wanted }, SocketFlags.None, cancellationToken);
            if (password is not null)
            {
                var challenge = await ReadExactlyAsync(socket, 16, cancellationToken);
                await socket.SendAsync(VncAuthResponse.For(challenge, password), SocketFlags.None, cancellationToken);
            }

            var result = BinaryPrimitives.ReadUInt32BigEndian(await ReadExactlyAsync(socket, 4, cancellationToken));
            if (result != 0)
            {
                throw new InvalidDataException("security handshake failed: " + await ReadReasonAsync(socket, cancellationToken));
            }

            await socket.SendAsync(new byte[] { 1 }, SocketFlags.None, cancellationToken); // ClientInit: shared
            var init = await ReadExactlyAsync(socket, 24, cancellationToken);
            var nameLength = BinaryPrimitives.ReadInt32BigEndian(init.AsSpan(20));
            var name = Encoding.UTF8.GetString(await ReadExactlyAsync(socket, nameLength, cancellationToken));
            var serverInit = new RfbServerInit(
                version.TrimEnd('\n'),
                BinaryPrimitives.ReadUInt16BigEndian(init),
                BinaryPrimitives.ReadUInt16BigEndian(init.AsSpan(2)),
                init[4],
                name);
            return new RfbConnection(socket, serverInit);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Asks for a 1x1 non-incremental update at the origin and reads the answer: proof that the session is alive end
    /// to end. Throws when the server sends anything but a raw FramebufferUpdate.
    /// </summary>
    public async Task RequestFrameAsync(CancellationToken cancellationToken)
    {
        var request = new byte[10];
        request[0] = 3; // FramebufferUpdateRequest, incremental = 0
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6), 1);
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(8), 1);
        await _socket.SendAsync(request, SocketFlags.None, cancellationToken);
        var header = await ReadExactlyAsync(_socket, 4, cancellationToken);
        if (header[0] != 0)
        {
            throw new InvalidDataException($"expected a FramebufferUpdate, got message type {header[0]}");
        }

        var rectangles = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
        for (var i = 0; i < rectangles; i++)
        {
            var rect = await ReadExactlyAsync(_socket, 12, cancellationToken);
            var encoding = BinaryPrimitives.ReadInt32BigEndian(rect.AsSpan(8));
            if (encoding != 0)
            {
                throw new InvalidDataException($"expected raw encoding, got {encoding}");
            }

            var pixels = BinaryPrimitives.ReadUInt16BigEndian(rect.AsSpan(4)) * BinaryPrimitives.ReadUInt16BigEndian(rect.AsSpan(6));
            await ReadExactlyAsync(_socket, pixels * ServerInit.BitsPerPixel / 8, cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<string> ReadReasonAsync(Socket socket, CancellationToken cancellationToken)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(await ReadExactlyAsync(socket, 4, cancellationToken));
        return Encoding.UTF8.GetString(await ReadExactlyAsync(socket, Math.Min(length, 4096), cancellationToken));
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                throw new EndOfStreamException($"RFB server closed the connection after {read} of {count} bytes");
            }

            read += n;
        }

        return buffer;
    }
}
