using System.Net;
using System.Net.Sockets;
using System.Text;
using DesktopOperator.Testing.Net;

namespace DesktopOperator.IntegrationTests.Gateway;

/// <summary>
/// Session hosts on loopback that keep their connections: each listens on one address (a pod's) and a port shared by
/// all (the pool's), greets a connection with its address and a newline, then echoes what it reads until the client
/// closes. A host is started when the test says (<see cref="Listen"/>), so a simulated node probing the address sees
/// its pod become Ready only then. Disposing stops every listener and connection.
/// </summary>
internal sealed class EchoHosts : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _loops = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();

    public EchoHosts(int port) => Port = port;

    public int Port { get; }

    /// <summary>Starts a host at <paramref name="address"/>:<see cref="Port"/>.</summary>
    public void Listen(IPAddress address)
    {
        LoopbackPorts.EnsureLoopback(address);
        var listener = new TcpListener(address, Port);
        listener.Start();
        var greeting = Encoding.ASCII.GetBytes(address + "\n");
        lock (_gate)
        {
            _listeners.Add(listener);
            _loops.Add(Task.Run(() => AcceptAsync(listener, greeting, _stop.Token)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] loops;
        lock (_gate)
        {
            _listeners.ForEach(l => l.Stop());
            loops = [.. _loops];
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, byte[] greeting, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var client = await listener.AcceptSocketAsync(cancellationToken);
                connections.Add(ServeAsync(client, greeting, cancellationToken));
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private static async Task ServeAsync(Socket client, byte[] greeting, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                await client.SendAsync(greeting, SocketFlags.None, cancellationToken);
                var buffer = new byte[1024];
                int read;
                while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
                {
                    await client.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                // a probe's connect and reset, or the test is over: nothing more to serve
            }
        }
    }
}
