using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp;

internal sealed partial class TcpListenerManager
{
    private async Task AcceptLoopAsync(string name, BoundListener bound)
    {
        while (true)
        {
            ConnectionContext? connection;
            try
            {
                connection = await bound.Listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                // The transport retries resets itself; anything else ends this endpoint's accept loop.
                LogAcceptFailed(logger, name, ex);
                return;
            }

            if (connection is null)
            {
                return; // unbound
            }

            bound.Connections.Enter();

            // Off the accept loop, like Kestrel: the handler may run synchronously up to its first wait.
            ThreadPool.UnsafeQueueUserWorkItem(
                static state => _ = state.Manager.RunConnectionAsync(state.Name, state.Bound, state.Connection),
                (Manager: this, Name: name, Bound: bound, Connection: connection),
                preferLocal: false);
        }
    }

    private async Task RunConnectionAsync(string name, BoundListener bound, ConnectionContext connection)
    {
        try
        {
            await bound.Handler.OnConnectedAsync(connection).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogConnectionFailed(logger, name, ex);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            bound.Connections.Exit();
        }
    }

    private sealed class BoundListener(IConnectionListener listener, TcpProxyConnectionHandler handler)
    {
        public IConnectionListener Listener { get; } = listener;

        public TcpProxyConnectionHandler Handler { get; } = handler;

        public Task? AcceptLoop { get; set; }

        /// <summary>Connections accepted here and not yet disposed.</summary>
        public ConnectionTracker Connections { get; } = new();
    }
}
