using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Tcp.Rdp;
using DesktopOperator.Gateway.Tcp.Relay;
using DesktopOperator.Gateway.Tcp.Vnc;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// The TCP proxy for one (pool, protocol) listener. The Task of <see cref="OnConnectedAsync"/> is the connection's
/// lifetime: RDP handshake (if RDP), routing and connect with redispatch, optional PROXY v2 header, then the relay.
/// It ends with exactly one <see cref="TcpProxyError"/>, logged once and counted once; no exception leaves it for an
/// expected network failure. It works on the accepted socket itself, not on Kestrel's connection around it, and
/// relays socket to socket with no pipes in between (proxy-figures.md, Run 10): on a relay thread of the gateway's own
/// (<see cref="RelayLoop"/>, which also makes the connect), else on the socket engine (<see cref="TcpPump"/>). Thread-safe: one instance serves every connection of its listener; bind it with
/// <see cref="TcpListenerManager"/>.
/// </summary>
internal sealed partial class TcpProxyConnectionHandler : IDisposable
{
    private readonly TcpProxyOptions _options;
    private readonly IConnectionRouter _router;
    private readonly TcpConnectionLimits _limits;
    private readonly TcpProxyMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly UpstreamDispatcher _dispatcher;
    private readonly ConnectionTracker _tracker = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _disposeLock = new();
    private bool _disposed;
    private readonly KeyValuePair<string, object?>[] _poolTags;
    private readonly KeyValuePair<string, object?>[] _toHostTags;
    private readonly KeyValuePair<string, object?>[] _toClientTags;
    private readonly VncClientLockout? _vncLockout;
    private readonly RelayLoops? _relays;

    // createUpstreamSocket: how the socket to a host is made (a test makes it fail as socket(2) does at EMFILE);
    // null = a TCP socket for the endpoint's family with Nagle off. relays: the relay threads; null or none = the pump.
    public TcpProxyConnectionHandler(
        TcpProxyListenerSettings settings,
        TcpProxyOptions options,
        IConnectionRouter router,
        TcpConnectionLimits limits,
        TcpProxyMetrics metrics,
        ILogger<TcpProxyConnectionHandler> logger,
        TimeProvider timeProvider,
        Func<EndPoint, Socket>? createUpstreamSocket = null,
        RelayLoops? relays = null)
    {
        _relays = relays;
        Settings = settings;
        _options = options;
        _router = router;
        _limits = limits;
        _metrics = metrics;
        _logger = logger;
        _timeProvider = timeProvider;
        _dispatcher = new UpstreamDispatcher(settings, options, router, limits, metrics, logger, timeProvider, createUpstreamSocket);
        _poolTags = [new("pool", settings.Pool), new("protocol", settings.Protocol)];
        _toHostTags = [.. _poolTags, new("direction", "client_to_host")];
        _toClientTags = [.. _poolTags, new("direction", "host_to_client")];
        _vncLockout = settings is { Kind: TcpProtocolKind.Vnc, ClientLockout: { } lockout }
            ? new VncClientLockout(lockout, settings, metrics, timeProvider, logger)
            : null;
    }

    public TcpProxyListenerSettings Settings { get; }

    public int ActiveConnections => _tracker.Count;

    /// <summary>
    /// Serves one accepted client to its end; the caller closes <paramref name="client"/> afterwards (see
    /// <see cref="ClientSockets.Close"/>), passing on what this returns: whether the close is all that is left (both
    /// senders finished, or a relay thread has closed the socket already).
    /// </summary>
    public async Task<bool> OnConnectedAsync(Socket client)
    {
        ArgumentNullException.ThrowIfNull(client);
        // Read now: a relay thread closes the socket as the relay ends, before the outcome is logged. Before the
        // tracker and the gauge count the connection, so nothing leaves them counted should it throw.
        var clientEndPoint = client.RemoteEndPoint;
        _tracker.Enter();
        _metrics.ActiveConnections.Add(1, _poolTags);
        var started = _timeProvider.GetTimestamp();
        var outcome = new ConnectionOutcome(TcpProxyError.Canceled);
        try
        {
            outcome = await ProxyAsync(client, clientEndPoint).ConfigureAwait(false);
        }
        finally
        {
            _metrics.ActiveConnections.Add(-1, _poolTags);
            if (outcome.HandshakeReject is { } reason)
            {
                _metrics.HandshakeRejects.Add(1, TcpProxyMetrics.WithTag(Settings, "reason", reason));
            }

            LogOutcome(clientEndPoint, outcome, _timeProvider.GetElapsedTime(started));
            // Counted last: whoever sees the connection counted (a test, a scrape) also sees everything else it did.
            _metrics.Connections.Add(1, TcpProxyMetrics.WithTag(Settings, "result", TcpProxyMetrics.ResultLabel(outcome.Error, outcome.Routing)));
            _tracker.Exit();
        }

        return outcome.BothFinished || outcome.ClientClosed;
    }

    /// <summary>
    /// Graceful stop: lets live connections go on for <paramref name="drainTime"/>, then cancels them and waits for
    /// them to end. New connections should no longer arrive (unbind the listener first).
    /// </summary>
    public async Task DrainAsync(TimeSpan drainTime, CancellationToken cancellationToken)
    {
        if (drainTime > TimeSpan.Zero)
        {
            using var drain = new TimeoutScope(drainTime, _timeProvider, cancellationToken);
            try
            {
                await _tracker.WaitIdleAsync(drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (drain.Token.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        if (_tracker.Count > 0)
        {
            LogDrainCanceling(_logger, Settings.Pool, Settings.Protocol, _tracker.Count);
        }

        lock (_disposeLock)
        {
            // A retired listener disposes its handler once its last connection has ended: nothing left to cancel.
            if (!_disposed)
            {
                _shutdown.Cancel();
            }
        }

        await _tracker.WaitIdleAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True once disposed (a retired listener's handler after its last connection).</summary>
    public bool IsDisposed
    {
        get
        {
            lock (_disposeLock)
            {
                return _disposed;
            }
        }
    }

    /// <summary>Idempotent; safe against a concurrent <see cref="DrainAsync"/>.</summary>
    public void Dispose()
    {
        lock (_disposeLock)
        {
            if (!_disposed)
            {
                _disposed = true;
                _shutdown.Dispose();
            }
        }
    }

    private async Task<ConnectionOutcome> ProxyAsync(Socket clientSocket, EndPoint? clientEndPoint)
    {
        var client = ClientAddress(clientEndPoint);
        if (_vncLockout?.IsLockedOut(client) == true)
        {
            return new ConnectionOutcome(TcpProxyError.ClientLockedOut);
        }

        if (!_limits.TryEnterPool())
        {
            return new ConnectionOutcome(TcpProxyError.PoolLimit);
        }

        ReadAhead? readAhead = null;
        try
        {
            string? user = null;
            if (Settings.Kind == TcpProtocolKind.Rdp)
            {
                var handshake = await RdpHandshake.ReadAsync(clientSocket, _options, _timeProvider, _shutdown.Token).ConfigureAwait(false);
                readAhead = handshake.ReadAhead;
                if (handshake.Error != TcpProxyError.None)
                {
                    return new ConnectionOutcome(handshake.Error, HandshakeReject: handshake.Reason);
                }

                user = handshake.User;
            }

            var request = new RouteRequest(Settings.Pool, Settings.Protocol, user, client);

            // While queued, the dispatcher watches the client's socket and tells a client that left from one that
            // half-closed (a client may send its bytes and half-close before the host is connected).
            // One relay thread per connection: it waits for the connect, then relays (null: the socket engine does both).
            var loop = _relays?.Pick();
            var dispatch = await _dispatcher.DispatchAsync(request, clientSocket, loop, _shutdown.Token).ConfigureAwait(false);
            if (dispatch.Error != TcpProxyError.None)
            {
                return new ConnectionOutcome(dispatch.Error, dispatch.Routing);
            }

            var upstream = dispatch.Upstream!;
            var host = dispatch.Decision!.Host!.Name;
            var activity = dispatch.Timer!;
            try
            {
                if (!activity.TryRestart(_options.IdleTimeout))
                {
                    // The connect's timer fired after the connect: start the relay with a fresh one.
                    activity.Dispose();
                    activity = new TimeoutScope(_options.IdleTimeout, _timeProvider, _shutdown.Token);
                }

                using var session = _router.BeginSession(request, dispatch.Decision);
                return await SpliceAsync(clientSocket, readAhead, upstream, host, client, activity, loop).ConfigureAwait(false);
            }
            finally
            {
                activity.Dispose();
                upstream.Dispose();
                _limits.ExitHost(host);
            }
        }
        finally
        {
            readAhead?.Dispose();
            _limits.ExitPool();
        }
    }

    /// <param name="readAhead">Client bytes read before the host was chosen (the RDP Connection Request), or null.</param>
    /// <param name="activity">The relay's idle timer (reset on every read and write), owned by the caller.</param>
    /// <param name="loop">The relay thread to relay on, or null for the socket engine's pump.</param>
    private async Task<ConnectionOutcome> SpliceAsync(
        Socket clientSocket, ReadAhead? readAhead, Socket upstream, string host, IPAddress client, TimeoutScope activity, RelayLoop? loop)
    {
        if (Settings.SendProxyProtocol
            && !await ProxyProtocolV2.SendAsync(upstream, clientSocket.RemoteEndPoint, clientSocket.LocalEndPoint, activity.Token).ConfigureAwait(false))
        {
            return new ConnectionOutcome(_shutdown.IsCancellationRequested ? TcpProxyError.Canceled : TcpProxyError.UpstreamWrite, Host: host);
        }

        var toHost = new ByteTally(_metrics.Bytes, _toHostTags, _timeProvider);
        var toClient = new ByteTally(_metrics.Bytes, _toClientTags, _timeProvider);
        if (_vncLockout is not null)
        {
            // VNC with a client lockout: relay the handshake up to the SecurityResult and count it for this client.
            var security = await VncSecurityRelay.RunAsync(clientSocket, upstream, activity, toHost, toClient).ConfigureAwait(false);
            _vncLockout.Record(client, security.Outcome);
            if (security.Ended)
            {
                toHost.Flush();
                toClient.Flush();
                return new ConnectionOutcome(security.Error, Host: host, BytesToHost: toHost.Total, BytesToClient: toClient.Total);
            }
        }

        // The relay thread closes both sockets as the relay ends; the pump leaves that to the callers.
        var onLoop = loop is { IsRunning: true };
        var error = onLoop
            ? await loop!.RelayAsync(clientSocket, readAhead?.Bytes ?? default, upstream, activity, toHost, toClient).ConfigureAwait(false)
            : await TcpPump.RunAsync(clientSocket, readAhead?.Bytes ?? default, upstream, activity, toHost, toClient).ConfigureAwait(false);
        return new ConnectionOutcome(
            error, Host: host, BytesToHost: toHost.Total, BytesToClient: toClient.Total, BothFinished: error == TcpProxyError.None, ClientClosed: onLoop);
    }

    private static IPAddress ClientAddress(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint { Address.IsIPv4MappedToIPv6: true } ip => ip.Address.MapToIPv4(),
        IPEndPoint ip => ip.Address,
        _ => IPAddress.None,
    };
}
