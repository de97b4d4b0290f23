using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Gateway.Tests.Health;

/// <summary>
/// A TCP server on 127.0.0.1 that runs <c>handler</c> for each accepted connection; disposing it stops listening
/// (later connects are refused) and closes the connections it holds.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly List<Task> _connections = [];
    private readonly Func<Socket, CancellationToken, Task> _handler;
    private int _accepted;

    public LoopbackServer(Func<Socket, CancellationToken, Task> handler, int port = 0)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Sends <paramref name="bytes"/>, then holds the connection until the client closes it.</summary>
    public static Func<Socket, CancellationToken, Task> Sends(byte[] bytes) => async (socket, token) =>
    {
        await socket.SendAsync(bytes, SocketFlags.None, token);
        await DrainUntilClosedAsync(socket, token);
    };

    /// <summary>Accepts and says nothing until the client closes.</summary>
    public static Func<Socket, CancellationToken, Task> Silent { get; } = DrainUntilClosedAsync;

    /// <summary>Closes each connection as soon as it is accepted.</summary>
    public static Func<Socket, CancellationToken, Task> ClosesAtOnce { get; } = (_, _) => Task.CompletedTask;

    public static async Task DrainUntilClosedAsync(Socket socket, CancellationToken token)
    {
        var buffer = new byte[1024];
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, token) > 0)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (_stop.IsCancellationRequested && ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            lock (_connections)
            {
                _connections.Add(ServeAsync(socket));
            }
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await _handler(socket, _stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && _stop.IsCancellationRequested))
            {
                // The client hung up or the server is stopping: the connection ends either way.
            }
        }
    }
}
