using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace DesktopOperator.Gateway.Tcp.Accept;

/// <summary>
/// Kestrel's endpoints (metrics, health, pages, HTTP pools) on a <see cref="GatewaySocketListener"/>: each accepted
/// socket becomes a <see cref="ConnectionContext"/> through Kestrel's public <see cref="SocketConnectionContextFactory"/>,
/// so pipes, memory pool and I/O scheduling are the socket transport's. Its token is not observed (Kestrel passes
/// none): unbinding ends a pending accept.
/// </summary>
internal sealed class KestrelSocketListener(GatewaySocketListener sockets, SocketConnectionContextFactory contexts) : IConnectionListener
{
    public EndPoint EndPoint => sockets.EndPoint;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default) =>
        await sockets.AcceptAsync().ConfigureAwait(false) is { } socket ? contexts.Create(socket) : null;

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        sockets.Unbind();
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the listening socket and the connection factory (its memory pools): Kestrel calls it after every connection ended.</summary>
    public async ValueTask DisposeAsync()
    {
        await sockets.DisposeAsync().ConfigureAwait(false);
        contexts.Dispose();
    }
}
