using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.EndToEndTests.Proxies;

/// <summary>
/// A host on a loopback address (free port) that runs <c>serve</c> on each accepted connection; the first connection
/// whose <c>serve</c> returns something non-empty completes <see cref="Received"/> (health checks return nothing).
/// A connection that resets is ignored. Disposing stops the accept loop and closes every socket.
/// </summary>
internal sealed class HalfCloseHost : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Socket, CancellationToken, Task<string>> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _accepted = [];
    private readonly TaskCompletionSource<string> _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;

    public HalfCloseHost(IPAddress address, Func<Socket, CancellationToken, Task<string>> serve)
    {
        _serve = serve;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(address, 0));
        _listener.Listen(64);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint { get; }

    public Task<string> Received => _received.Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The listener was closed under the loop.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptAsync(_stop.Token);
            lock (_accepted)
            {
                _accepted.Add(socket);
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            if (await _serve(socket, _stop.Token) is { Length: > 0 } received)
            {
                _received.TrySetResult(received);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // A health check's reset, or the host stopping.
        }
    }
}
