using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>
/// A transport whose accepts follow a script: each step either throws a <see cref="SocketException"/> or yields an
/// in-memory connection whose client side the test holds. Unbinding ends the accepts (null), as Kestrel's does.
/// </summary>
internal sealed class ScriptedConnectionListener : IConnectionListenerFactory, IConnectionListener
{
    private readonly Channel<Func<ConnectionContext>> _steps = Channel.CreateUnbounded<Func<ConnectionContext>>();
    private int _accepts;

    public EndPoint EndPoint { get; private set; } = new IPEndPoint(IPAddress.Loopback, 0);

    /// <summary>Calls of <see cref="AcceptAsync"/> that returned or threw.</summary>
    public int Accepts => Volatile.Read(ref _accepts);

    public void Fail(SocketError error) => _steps.Writer.TryWrite(() => throw new SocketException((int)error));

    /// <summary>Queues a connection; returns the client's side of its pipes.</summary>
    public IDuplexPipe Connect()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var client = new Duplex(toClient.Reader, toServer.Writer);
        var server = new Duplex(toServer.Reader, toClient.Writer);
        _steps.Writer.TryWrite(() => new DefaultConnectionContext(Guid.NewGuid().ToString("N"), server, client)
        {
            RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, 40000),
            LocalEndPoint = EndPoint,
        });
        return client;
    }

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        EndPoint = endpoint;
        return ValueTask.FromResult<IConnectionListener>(this);
    }

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        Func<ConnectionContext> step;
        try
        {
            step = await _steps.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }

        Interlocked.Increment(ref _accepts);
        return step();
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _steps.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _steps.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
