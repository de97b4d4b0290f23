using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// The host side of the proxy benchmark: listens on the same port on several loopback addresses. The first byte a
/// client sends picks the mode: <c>E</c> echoes every later byte back (latency, connection rate, idle connections);
/// <c>S</c> discards everything and, when the client half-closes, answers with the byte count as an 8-byte big-endian
/// integer (upload throughput, counted where the bytes arrive); <c>D</c> sends until the client goes away (download
/// throughput, counted by the client). Runs in its own process so its sockets do not count against
/// the load generator's open-file limit.
/// </summary>
internal sealed class BackendServer : IAsyncDisposable
{
    private const int EchoBuffer = 16 * 1024;
    private const int SinkBuffer = 256 * 1024;
    private readonly List<Socket> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _acceptLoops = [];

    public int Port { get; private set; }

    /// <summary>Binds <paramref name="addresses"/> on one port (<paramref name="port"/>, or the first free one that all accept).</summary>
    public void Start(IReadOnlyList<IPAddress> addresses, int port)
    {
        for (var attempt = 0; _listeners.Count == 0 && attempt < 20; attempt++)
        {
            try
            {
                var chosen = port;
                foreach (var address in addresses)
                {
                    var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    _listeners.Add(listener);
                    listener.Bind(new IPEndPoint(address, chosen));
                    chosen = ((IPEndPoint)listener.LocalEndPoint!).Port;
                    listener.Listen(4096);
                }

                Port = chosen;
            }
            catch (SocketException) when (port == 0)
            {
                // The port free on the first address was taken on another: try a new one.
                _listeners.ForEach(l => l.Dispose());
                _listeners.Clear();
            }
        }

        foreach (var listener in _listeners)
        {
            _acceptLoops.Add(AcceptLoopAsync(listener, _stop.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listeners.ForEach(l => l.Dispose());
        await Task.WhenAll(_acceptLoops);
        _stop.Dispose();
    }

    private static async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            client.NoDelay = true;
            _ = ServeAsync(client, cancellationToken);
        }
    }

    private static async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var mode = new byte[1];
                if (await client.ReceiveAsync(mode, SocketFlags.None, cancellationToken) == 0)
                {
                    return;
                }

                if (mode[0] == (byte)'S')
                {
                    await SinkAsync(client, cancellationToken);
                }
                else if (mode[0] == (byte)'D')
                {
                    await SourceAsync(client, cancellationToken);
                }
                else
                {
                    await EchoAsync(client, cancellationToken);
                }
            }
            catch (SocketException)
            {
                // The client or proxy reset the connection: normal at the end of a scenario.
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutting down.
            }
        }
    }

    private static async Task EchoAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[EchoBuffer];
        while (true)
        {
            var read = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return;
            }

            await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
        }
    }

    private static async Task SinkAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[SinkBuffer];
        long total = 0;
        while (true)
        {
            var read = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        var answer = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(answer, total);
        await client.SendAsync(answer, SocketFlags.None, cancellationToken);
        client.Shutdown(SocketShutdown.Send);
    }

    private static async Task SourceAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[SinkBuffer];
        Random.Shared.NextBytes(buffer);
        while (true)
        {
            // Ends with a SocketException (reset or broken pipe) when the client closes.
            await client.SendAsync(buffer, SocketFlags.None, cancellationToken);
        }
    }
}
