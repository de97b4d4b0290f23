using System.Net;
using DesktopOperator.Gateway.Tcp.Accept;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Binds and unbinds TCP proxy endpoints at runtime (pools come and go when standalone manifests reload) through
/// the host's <see cref="IConnectionListenerFactory"/> (the gateway's <see cref="GatewaySocketTransport"/>, whose
/// listeners count their accept errors with the pool's labels), with one accept loop per endpoint that
/// hands each connection to its listener's <see cref="TcpProxyConnectionHandler"/>. Unbinding stops accepting;
/// the endpoint's live connections go on to their end (or until <see cref="StopAsync"/> drains them), then the
/// listener and its handler are disposed.
/// Thread-safe; names are unique among bound endpoints. Every accepted connection counts against the gateway-wide
/// <see cref="GatewayConnectionCap"/>; over it, a client is reset at once (see the accept loop for why).
/// <para>Take the factory from a Kestrel-configured container (<c>app.Services</c> of the executable's
/// WebApplication), not <c>new SocketTransportFactory(...)</c>: only through DI does the socket transport get Kestrel's
/// pinned block memory pool; built by hand it falls back to the shared array pool, which allocates under load
/// (measured: ~40 MB per 64 MiB copied). A <c>MaxReadBufferSize</c> of 64 KiB (Kestrel's default is 1 MiB) keeps
/// a busy connection's buffering small; the tests use it.</para>
/// </summary>
internal sealed partial class TcpListenerManager(
    IConnectionListenerFactory listenerFactory,
    GatewayConnectionCap cap,
    TcpProxyMetrics metrics,
    TimeProvider timeProvider,
    ILogger<TcpListenerManager> logger) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, BoundListener> _listeners = new(StringComparer.Ordinal);
    private readonly List<(BoundListener Bound, Task Disposed)> _retiring = [];
    private readonly GatewayConnectionCap _cap = cap;
    private readonly TcpProxyMetrics _metrics = metrics;
    private readonly TimeProvider _timeProvider = timeProvider;

    // Transports other than ours hold no descriptor reserve (their episodes release nothing).
    private readonly DescriptorReserve _noReserve = new(0, NullLogger<DescriptorReserve>.Instance);
    private int _refusedInBurst;

    /// <summary>Live connections on every listener, retired ones included (what the cap counts).</summary>
    public int LiveConnections => _cap.Count;

    public IReadOnlyCollection<string> Names
    {
        get
        {
            lock (_lock)
            {
                return [.. _listeners.Keys];
            }
        }
    }

    /// <summary>The bound endpoint of <paramref name="name"/> (with the real port when bound to port 0).</summary>
    public EndPoint? GetEndPoint(string name)
    {
        lock (_lock)
        {
            return _listeners.TryGetValue(name, out var bound) ? bound.Listener.EndPoint : null;
        }
    }

    /// <summary>Starts accepting on <paramref name="endPoint"/> for <paramref name="handler"/>; returns the bound endpoint.</summary>
    public async Task<EndPoint> BindAsync(string name, EndPoint endPoint, TcpProxyConnectionHandler handler, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_listeners.ContainsKey(name))
            {
                throw new InvalidOperationException($"A TCP listener named '{name}' is already bound.");
            }
        }

        AcceptEpisode episode;
        IConnectionListener listener;
        if (listenerFactory is GatewaySocketTransport transport)
        {
            episode = transport.NewEpisode(name, TcpProxyMetrics.PoolTags(handler.Settings), waitForReserve: true);
            listener = transport.Bind(endPoint, episode);
        }
        else
        {
            episode = new AcceptEpisode(name, TcpProxyMetrics.PoolTags(handler.Settings), _metrics.AcceptErrors, _noReserve, waitForReserve: false, _timeProvider, logger);
            listener = await listenerFactory.BindAsync(endPoint, cancellationToken).ConfigureAwait(false);
        }

        var bound = new BoundListener(listener, handler, episode);
        lock (_lock)
        {
            if (!_listeners.TryAdd(name, bound))
            {
                // Lost a race with another bind of the same name: undo ours.
                _ = listener.DisposeAsync().AsTask();
                throw new InvalidOperationException($"A TCP listener named '{name}' is already bound.");
            }
        }

        bound.AcceptLoop = AcceptLoopAsync(name, bound);
        LogBound(logger, name, listener.EndPoint, handler.Settings.Pool, handler.Settings.Protocol);
        return listener.EndPoint;
    }

    /// <summary>Stops accepting on <paramref name="name"/>; its live connections continue. Returns its handler, or null.</summary>
    public async Task<TcpProxyConnectionHandler?> UnbindAsync(string name, CancellationToken cancellationToken)
    {
        BoundListener? bound;
        lock (_lock)
        {
            if (!_listeners.Remove(name, out bound))
            {
                return null;
            }
        }

        await bound.Listener.UnbindAsync(cancellationToken).ConfigureAwait(false);
        await bound.AcceptLoop!.ConfigureAwait(false);

        // Disposing a socket listener disposes the memory pools its connections use: wait until they have ended.
        var retired = DisposeWhenIdleAsync(bound);
        lock (_lock)
        {
            _retiring.RemoveAll(static entry => entry.Disposed.IsCompleted);
            _retiring.Add((bound, retired));
        }

        LogUnbound(logger, name, bound.Connections.Count);
        return bound.Handler;
    }

    /// <summary>
    /// Graceful stop: unbinds every endpoint, then lets the live connections of every listener (those unbound earlier
    /// and still draining included) run for <paramref name="drainTime"/> before canceling them, waits until they all
    /// ended, and disposes every listener and handler.
    /// </summary>
    public async Task StopAsync(TimeSpan drainTime, CancellationToken cancellationToken)
    {
        foreach (var name in Names)
        {
            await UnbindAsync(name, cancellationToken).ConfigureAwait(false);
        }

        // Every listener is retiring now: the ones just unbound and those a rebind retired before (whose sessions
        // would otherwise run on after the stop, for as long as the idle timeout allows).
        (BoundListener Bound, Task Disposed)[] retiring;
        lock (_lock)
        {
            retiring = [.. _retiring];
            _retiring.Clear();
        }

        var drains = new List<Task>(retiring.Length);
        foreach (var (bound, _) in retiring)
        {
            drains.Add(bound.Handler.DrainAsync(drainTime, cancellationToken));
        }

        await Task.WhenAll(drains).ConfigureAwait(false);
        foreach (var (_, disposed) in retiring)
        {
            await disposed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops at once: live connections are canceled without a drain time.</summary>
    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);

    private static async Task DisposeWhenIdleAsync(BoundListener bound)
    {
        await bound.Connections.WaitIdleAsync(CancellationToken.None).ConfigureAwait(false);
        await bound.Listener.DisposeAsync().ConfigureAwait(false);
        bound.Handler.Dispose();
    }
}
