using System.Net;
using System.Net.Sockets;
using System.Text;
using DesktopOperator.Testing.Net;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>
/// Fake session hosts on loopback: each listens on its own address (127.0.0.x) and one shared port (as the pods of a
/// pool do), and greets every connection with its name and a newline, so a client through the gateway can tell
/// which host it reached. Disposing stops them all.
/// </summary>
internal sealed class NameHosts : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();

    private NameHosts(int port) => Port = port;

    public int Port { get; }

    /// <summary>Hosts named by <paramref name="hosts"/> (name, last octet of 127.0.0.x), all on one free port.</summary>
    public static NameHosts Start(params (string Name, int Octet)[] hosts)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        for (var attempt = 0; ; attempt++)
        {
            var result = new NameHosts(LoopbackPorts.GetFreePort(LoopbackPorts.Address(hosts[0].Octet)));
            try
            {
                foreach (var (name, octet) in hosts)
                {
                    result.Listen(name, LoopbackPorts.Address(octet));
                }

                return result;
            }
            catch (SocketException) when (attempt < 5)
            {
                result.StopListeners(); // the port was taken on another address: try another one
            }
        }
    }

    public static IPAddress Address(int octet) => LoopbackPorts.Address(octet);

    /// <summary>The first line a connection to <paramref name="endpoint"/> from <paramref name="source"/> reads (trimmed), or null.</summary>
    public static async Task<string?> GreetingAsync(IPEndPoint endpoint, IPAddress source, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30)); // a bound for a loaded machine, not a timing claim
        var buffer = new byte[128];
        var length = 0;
        try
        {
            await socket.ConnectAsync(endpoint, limit.Token);
            while (length < buffer.Length && Array.IndexOf(buffer, (byte)'\n', 0, length) < 0)
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
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return length == 0 ? null : Encoding.ASCII.GetString(buffer, 0, length).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        StopListeners();
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Listen(string name, IPAddress address)
    {
        var listener = new TcpListener(address, Port);
        listener.Start();
        _listeners.Add(listener);
        var greeting = Encoding.ASCII.GetBytes(name + "\n");
        _loops.Add(Task.Run(() => AcceptAsync(listener, greeting, _stop.Token)));
    }

    private void StopListeners()
    {
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }
    }

    private static async Task AcceptAsync(TcpListener listener, byte[] greeting, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                try
                {
                    await client.SendAsync(greeting, SocketFlags.None, cancellationToken);
                    client.Shutdown(SocketShutdown.Send);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException)
                {
                    // the client left first (a health check's connect and reset): nothing to greet
                }
            }
        }
    }
}
