using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp.Accept;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp;

internal sealed partial class TcpListenerManager
{
    /// <summary>
    /// One endpoint's accept loop. Only unbinding or disposal ends it (the listener then returns null). Failed accepts
    /// are handled by the listener's <see cref="AcceptEpisode"/> (counted, logged once per episode, backed off), inside
    /// <see cref="GatewaySocketListener"/>, or here for a transport that throws them.
    /// <para>At the gateway cap a new client is accepted and reset at once, not left in the listen backlog as
    /// HAProxy's <c>maxconn</c> does: a client held in the backlog looks connected but gets no byte, with no timeout of
    /// ours, no log and no metric, and the hold would stop every port of the gateway at once; a reset tells the client
    /// (or a load balancer in front) now, so it can retry another replica, and is counted. RST rather than FIN: a FIN
    /// after connect reads like a session that ended, a reset like a refusal; and it leaves no TIME_WAIT behind.
    /// Waiting politely for a slot is the pools' job (<c>whenFull: Queue</c>), with a timeout and metrics.</para>
    /// </summary>
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
                await bound.AcceptErrors.OnFailedAsync(ex, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (connection is null)
            {
                return; // unbound
            }

            bound.AcceptErrors.OnAccepted();
            bound.Connections.Enter();
            var admitted = _cap.TryEnter();
            if (admitted)
            {
                NoteCapRoom();
            }
            else
            {
                NoteRefused(bound);
            }

            // Off the accept loop, like Kestrel: the handler may run synchronously up to its first wait.
            ThreadPool.UnsafeQueueUserWorkItem(
                static state => _ = state.Admitted
                    ? state.Manager.RunConnectionAsync(state.Name, state.Bound, state.Connection)
                    : state.Manager.RefuseAsync(state.Bound, state.Connection),
                (Manager: this, Name: name, Bound: bound, Connection: connection, Admitted: admitted),
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
            _cap.Exit();
            bound.Connections.Exit();
        }
    }

    /// <summary>Resets a connection accepted over the gateway cap (Kestrel's Abort sends RST) and counts it.</summary>
    private async Task RefuseAsync(BoundListener bound, ConnectionContext connection)
    {
        try
        {
            connection.Abort(new ConnectionAbortedException("The gateway is at its connection cap."));
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _metrics.Connections.Add(1, TcpProxyMetrics.WithTag(bound.Handler.Settings, "result", TcpProxyMetrics.ResultLabel(TcpProxyError.GatewayFull, default)));
            bound.Connections.Exit();
        }
    }

    /// <summary>Logs once when refusing starts (and again only after a connection was admitted in between).</summary>
    private void NoteRefused(BoundListener bound)
    {
        if (Interlocked.Increment(ref _refusedInBurst) == 1)
        {
            LogGatewayFull(logger, _cap.Max, bound.Handler.Settings.Pool);
        }
    }

    private void NoteCapRoom()
    {
        if (Volatile.Read(ref _refusedInBurst) > 0 && Interlocked.Exchange(ref _refusedInBurst, 0) is var refused and > 0)
        {
            LogGatewayAdmitting(logger, _cap.Max, refused);
        }
    }

    private sealed class BoundListener(IConnectionListener listener, TcpProxyConnectionHandler handler, AcceptEpisode acceptErrors)
    {
        public IConnectionListener Listener { get; } = listener;

        public TcpProxyConnectionHandler Handler { get; } = handler;

        public Task? AcceptLoop { get; set; }

        /// <summary>Failed accepts of this endpoint (for a transport that throws them; ours handles them inside).</summary>
        public AcceptEpisode AcceptErrors { get; } = acceptErrors;

        /// <summary>Connections accepted here and not yet disposed.</summary>
        public ConnectionTracker Connections { get; } = new();
    }
}
