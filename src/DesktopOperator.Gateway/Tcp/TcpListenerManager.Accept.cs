using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp.Accept;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp;

internal sealed partial class TcpListenerManager
{
    /// <summary>
    /// One endpoint's accept loop. Only unbinding or disposal ends it (the listener then returns null). Failed accepts
    /// are handled by the listener's <see cref="AcceptEpisode"/> (counted, logged once per episode, backed off), inside
    /// <see cref="GatewaySocketListener"/>.
    /// <para>At the gateway cap a new client is accepted and reset at once, not left in the listen backlog as
    /// HAProxy's <c>maxconn</c> does: a client held in the backlog looks connected but gets no byte, with no timeout of
    /// ours, no log and no metric, and the hold would stop every port of the gateway at once; a reset tells the client
    /// (or a load balancer in front) now, so it can retry another replica, and is counted. RST rather than FIN: a FIN
    /// after connect reads like a session that ended, a reset like a refusal; and it leaves no TIME_WAIT behind.
    /// Waiting politely for a slot is the pools' job (<c>whenFull: Queue</c>), with a timeout and metrics.</para>
    /// </summary>
    private async Task AcceptLoopAsync(string name, BoundListener bound)
    {
        while (await bound.Listener.AcceptAsync().ConfigureAwait(false) is { } client)
        {
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

            // Run here up to the handler's first wait (a routing decision and the start of the connect, no blocking
            // work): with the gateway's inline socket completions (--io-threads) that is the event thread that saw
            // the accept, with no hop to the thread pool; without them it is the pool thread the accept completed on.
            if (admitted)
            {
                _ = RunConnectionAsync(name, bound, client);
            }
            else
            {
                Refuse(bound, client);
            }
        }
    }

    private async Task RunConnectionAsync(string name, BoundListener bound, Socket client)
    {
        var bothFinished = false;
        try
        {
            bothFinished = await bound.Handler.OnConnectedAsync(client).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogConnectionFailed(logger, name, ex);
        }
        finally
        {
            ClientSockets.Close(client, bothFinished);
            _cap.Exit();
            bound.Connections.Exit();
        }
    }

    /// <summary>Resets a connection accepted over the gateway cap and counts it.</summary>
    private void Refuse(BoundListener bound, Socket client)
    {
        try
        {
            ClientSockets.Reset(client);
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

    private sealed class BoundListener(GatewaySocketListener listener, TcpProxyConnectionHandler handler)
    {
        public GatewaySocketListener Listener { get; } = listener;

        public TcpProxyConnectionHandler Handler { get; } = handler;

        public Task? AcceptLoop { get; set; }

        /// <summary>Connections accepted here and not yet closed.</summary>
        public ConnectionTracker Connections { get; } = new();
    }
}
