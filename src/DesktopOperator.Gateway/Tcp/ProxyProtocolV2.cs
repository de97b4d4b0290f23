using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Writes the binary PROXY protocol v2 header (haproxy.org proxy-protocol.txt, section 2.2) that tells a host the
/// client's real address: command PROXY over TCP/IPv4 or TCP/IPv6, or command LOCAL when the addresses are unknown.
/// </summary>
internal static class ProxyProtocolV2
{
    /// <summary>Signature (12) + version/command, family, length (4) + the IPv6 address block (36).</summary>
    public const int MaxLength = 52;

    private const byte VersionProxy = 0x21;
    private const byte VersionLocal = 0x20;
    private const byte TcpOverIPv4 = 0x11;
    private const byte TcpOverIPv6 = 0x21;

    private static ReadOnlySpan<byte> Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>Writes the header for a connection from <paramref name="source"/> to <paramref name="destination"/>
    /// (the gateway's own end of the client connection); returns the number of bytes written.</summary>
    public static int Write(Span<byte> buffer, EndPoint? source, EndPoint? destination)
    {
        Signature.CopyTo(buffer);
        if (source is not IPEndPoint src || destination is not IPEndPoint dst)
        {
            buffer[12] = VersionLocal;
            buffer[13] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(buffer[14..], 0);
            return 16;
        }

        var srcAddress = Normalize(src.Address);
        var dstAddress = Normalize(dst.Address);
        var v4 = srcAddress.AddressFamily == AddressFamily.InterNetwork && dstAddress.AddressFamily == AddressFamily.InterNetwork;
        if (!v4)
        {
            srcAddress = srcAddress.MapToIPv6();
            dstAddress = dstAddress.MapToIPv6();
        }

        var addressLength = v4 ? 4 : 16;
        buffer[12] = VersionProxy;
        buffer[13] = v4 ? TcpOverIPv4 : TcpOverIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[14..], (ushort)((2 * addressLength) + 4));
        var body = buffer[16..];
        srcAddress.TryWriteBytes(body, out _);
        dstAddress.TryWriteBytes(body[addressLength..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(body[(2 * addressLength)..], (ushort)src.Port);
        BinaryPrimitives.WriteUInt16BigEndian(body[((2 * addressLength) + 2)..], (ushort)dst.Port);
        return 16 + (2 * addressLength) + 4;
    }

    /// <summary>Sends the header on a connected host socket; false when the send failed or was canceled.</summary>
    public static async Task<bool> SendAsync(Socket upstream, EndPoint? source, EndPoint? destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxLength);
        try
        {
            var length = Write(buffer, source, destination);
            await upstream.SendAsync(buffer.AsMemory(0, length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
