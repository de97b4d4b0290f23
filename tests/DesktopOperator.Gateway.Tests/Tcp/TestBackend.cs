using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>A host on 127.0.0.1:0 that runs <c>serve</c> for each accepted socket; disposing closes everything.</summary>
internal sealed class TestBackend : IAsyncDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Func<Socket, CancellationToken, Task> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Socket> _accepted = [];
    private readonly Task _acceptLoop;
    private int _connections;

    public TestBackend(Func<Socket, CancellationToken, Task> serve)
    {
        _serve = serve;
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(4096);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyCollection<Socket> Accepted => _accepted;

    public static TestBackend Echo() => new(EchoAsync);

    /// <summary>Accepts and keeps the connection open without a byte either way (an idle desktop).</summary>
    public static TestBackend Silent() => new(static async (socket, token) =>
    {
        var buffer = new byte[1];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, token) > 0)
        {
        }
    });

    public static async Task EchoAsync(Socket socket, CancellationToken token)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
            if (read == 0)
            {
                socket.Shutdown(SocketShutdown.Send);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        foreach (var socket in _accepted)
        {
            socket.Dispose();
        }

        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException || _stop.IsCancellationRequested)
            {
                return;
            }

            _accepted.Add(socket);
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            await _serve(socket, _stop.Token);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The proxy or the test closed the connection: that is what many tests do on purpose.
        }
    }
}
