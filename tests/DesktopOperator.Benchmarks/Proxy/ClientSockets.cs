using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// Client connections for the load generator, spread over several loopback source addresses so that 10,000 idle
/// connections and thousands of short ones per second do not run out of ephemeral ports.
/// </summary>
internal sealed class ClientSockets(IReadOnlyList<IPAddress> sources)
{
    // IP_BIND_ADDRESS_NO_PORT (linux/in.h): bind the address now, choose the port at connect time with the full
    // 4-tuple known, so ports are shared across destinations and TIME_WAIT reuse applies.
    private const int IpBindAddressNoPort = 24;
    private const int SolIp = 0;
    private int _next;

    public static ClientSockets Default { get; } =
        new([.. Enumerable.Range(101, 16).Select(i => new IPAddress([127, 0, 0, (byte)i]))]);

    public async Task<Socket> ConnectAsync(IPEndPoint server, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, BitConverter.GetBytes(1));
            var source = sources[(int)((uint)Interlocked.Increment(ref _next) % (uint)sources.Count)];
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(server, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Receives exactly <paramref name="buffer"/>.Length bytes; false when the peer closes first.</summary>
    public static async ValueTask<bool> ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (buffer.Length > 0)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return false;
            }

            buffer = buffer[read..];
        }

        return true;
    }
}
