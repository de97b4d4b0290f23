using System.Net;
using DesktopOperator.Gateway.Tcp.Accept;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Binds and unbinds TCP proxy endpoints at runtime (pools come and go when standalone manifests reload) through
/// the gateway's <see cref="GatewaySocketTransport"/> (whose listeners count their accept errors with the pool's
/// labels), with one accept loop per endpoint that hands each accepted socket to its listener's
/// <see cref="TcpProxyConnectionHandler"/>. Unbinding stops accepting; the endpoint's live connections go on to their
/// end (or until <see cref="StopAsync"/> drains them), then the listener and its handler are disposed.
/// Thread-safe; names are unique among bound endpoints. Every accepted connection counts against the gateway-wide
/// <see cref="GatewayConnectionCap"/>; over it, a client is reset at once (see the accept loop for why).
/// </summary>
internal sealed partial class TcpListenerManager(
    GatewaySocketTransport transport,
    GatewayConnectionCap cap,
    TcpProxyMetrics metrics,
    ILogger<TcpListenerManager> logger) : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, BoundListener> _listeners = new(StringComparer.Ordinal);
    private readonly List<(BoundListener Bound, Task Disposed)> _retiring = [];
    private readonly GatewayConnectionCap _cap = cap;
    private readonly TcpProxyMetrics _metrics = metrics;
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
    public Task<EndPoint> BindAsync(string name, EndPoint endPoint, TcpProxyConnectionHandler handler, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_listeners.ContainsKey(name))
            {
                throw new InvalidOperationException($"A TCP listener named '{name}' is already bound.");
            }
        }

        var episode = transport.NewEpisode(name, TcpProxyMetrics.PoolTags(handler.Settings), waitForReserve: true);
        var listener = transport.Bind(endPoint, episode);
        var bound = new BoundListener(listener, handler);
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
        return Task.FromResult(listener.EndPoint);
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

        bound.Listener.Unbind();
        await bound.AcceptLoop!.ConfigureAwait(false);

        // The handler is disposed once the listener's connections have ended.
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
