using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Tcp.Relay;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// Asks the router for a host and connects to it. A connect that fails or times out is reported (passive health)
/// and the host is excluded for a redispatch, so a client does not see a dead host while another is up; a host at
/// its connection limit is excluded the same way. A queued answer waits for a change and asks again, within the
/// queue timeout, and gives up at once when the queued client leaves (<see cref="QueuedClientWatch"/>). Thread-safe: one instance serves all connections of a listener.
/// <para>A connect that fails because the gateway itself is out of descriptors (EMFILE/ENFILE, which .NET surfaces as
/// <see cref="SocketError.TooManyOpenSockets"/>) is the gateway's fault, not the host's: it is not reported to passive
/// health (a host must never turn unhealthy because the gateway is exhausted) and not redispatched (every other host
/// would fail the same way); the client is closed with <see cref="TcpProxyError.GatewayOutOfDescriptors"/>.</para>
/// </summary>
internal sealed partial class UpstreamDispatcher(
    TcpProxyListenerSettings settings,
    TcpProxyOptions options,
    IConnectionRouter router,
    TcpConnectionLimits limits,
    TcpProxyMetrics metrics,
    ILogger logger,
    TimeProvider timeProvider,
    Func<EndPoint, Socket>? createSocket = null)
{
    private readonly Func<EndPoint, Socket> _createSocket = createSocket ?? CreateSocket;

    /// <summary>Bounds the hosts skipped for being full, whatever the router keeps offering.</summary>
    private const int MaxFullHosts = 64;

    /// <param name="client">The client's socket, watched while the connection is queued (nothing is read).</param>
    /// <param name="loop">The relay thread the connection will run on: it also waits for the connect; null = the socket engine.</param>
    public async Task<DispatchResult> DispatchAsync(RouteRequest request, Socket client, RelayLoop? loop, CancellationToken shutdown)
    {
        List<string>? excluded = null;
        QueuedClientWatch? watch = null;
        TimeoutScope? queue = null;
        var connectFailures = 0;
        var fullHosts = 0;
        try
        {
            while (true)
            {
                RoutingDecision decision;
                try
                {
                    decision = await router.RouteAsync(request, (IReadOnlyCollection<string>?)excluded ?? [], shutdown).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
                {
                    return DispatchResult.Failed(TcpProxyError.Canceled);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRouterFailed(logger, settings.Pool, settings.Protocol, ex);
                    return DispatchResult.Failed(TcpProxyError.RoutingFailed);
                }

                switch (decision.Result)
                {
                    case RoutingResult.Routed when decision.Host is { } host:
                        if (!limits.TryEnterHost(host.Name))
                        {
                            (excluded ??= []).Add(host.Name);
                            if (++fullHosts >= MaxFullHosts)
                            {
                                return DispatchResult.Failed(TcpProxyError.HostLimit);
                            }

                            continue;
                        }

                        var (socket, timer, outOfDescriptors) = await ConnectAsync(host, loop, shutdown).ConfigureAwait(false);
                        if (socket is not null)
                        {
                            router.ReportConnectSuccess(settings.Pool, host.Name);
                            return new DispatchResult(TcpProxyError.None, RoutingResult.Routed, socket, decision, timer);
                        }

                        limits.ExitHost(host.Name);
                        if (shutdown.IsCancellationRequested)
                        {
                            return DispatchResult.Failed(TcpProxyError.Canceled);
                        }

                        if (outOfDescriptors)
                        {
                            // Not the host's fault: no passive-health report, and no other host would fare better.
                            return DispatchResult.Failed(TcpProxyError.GatewayOutOfDescriptors);
                        }

                        router.ReportConnectFailure(settings.Pool, host.Name);
                        (excluded ??= []).Add(host.Name);
                        if (++connectFailures >= options.MaxConnectAttempts)
                        {
                            return DispatchResult.Failed(TcpProxyError.UpstreamConnect);
                        }

                        continue;
                    case RoutingResult.Queued:
                        watch ??= QueuedClientWatch.Start(client, settings.Kind != TcpProtocolKind.Tcp, shutdown);
                        queue ??= new TimeoutScope(options.QueueTimeout, timeProvider, watch.Token);
                        try
                        {
                            await router.WaitForChangeAsync(settings.Pool, queue.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (queue.Token.IsCancellationRequested)
                        {
                            return DispatchResult.Failed(
                                watch.ClientGone ? TcpProxyError.QueueAbandoned : queue.TimedOut ? TcpProxyError.QueueTimeout : TcpProxyError.Canceled);
                        }

                        if (watch.ClientGone)
                        {
                            // Gone between the change and this check: never take a slot for it.
                            return DispatchResult.Failed(TcpProxyError.QueueAbandoned);
                        }

                        continue;
                    case RoutingResult.Routed:
                        return DispatchResult.Failed(TcpProxyError.RoutingFailed);
                    default:
                        // Every remaining host was excluded by us: say why, not "no healthy host".
                        var error = connectFailures > 0 ? TcpProxyError.UpstreamConnect
                            : fullHosts > 0 ? TcpProxyError.HostLimit
                            : TcpProxyError.Rejected;
                        return DispatchResult.Failed(error, decision.Result);
                }
            }
        }
        finally
        {
            queue?.Dispose();
            if (watch is not null)
            {
                await watch.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <returns>The connected socket and the connect's timer (not canceled; the caller owns both), or null and
    /// whether the attempt failed for want of a descriptor here.</returns>
    private async Task<(Socket? Socket, TimeoutScope? Timer, bool OutOfDescriptors)> ConnectAsync(HostTarget host, RelayLoop? loop, CancellationToken shutdown)
    {
        var started = timeProvider.GetTimestamp();
        var address = host.IpAddress ?? (IPAddress.TryParse(host.Address, out var parsed) ? parsed : null);
        EndPoint endPoint = address is not null ? new IPEndPoint(address, host.Port) : new DnsEndPoint(host.Address, host.Port);
        Socket socket;
        try
        {
            socket = _createSocket(endPoint);
        }
        catch (SocketException ex) when (IsOutOfDescriptors(ex))
        {
            // socket(2) failed: EMFILE/ENFILE. Nothing was sent to the host, so no connect duration either.
            LogOutOfDescriptors(logger, settings.Pool, settings.Protocol, host.Name, host.Address, host.Port);
            return (null, null, true);
        }

        // Handed to the caller on success, which restarts it as the relay's idle timer (one timer per connection).
        var timeout = new TimeoutScope(options.ConnectTimeout, timeProvider, shutdown);
        string reason;
        var outOfDescriptors = false;
        try
        {
            await (loop is not null && endPoint is IPEndPoint ip
                ? loop.ConnectAsync(socket, ip, timeout.Token)
                : socket.ConnectAsync(endPoint, timeout.Token).AsTask()).ConfigureAwait(false);
            metrics.ConnectDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, TcpProxyMetrics.PoolTags(settings));
            return (socket, timeout, false);
        }
        catch (OperationCanceledException) when (timeout.Token.IsCancellationRequested)
        {
            reason = timeout.TimedOut ? "timeout" : "canceled";
        }
        catch (SocketException ex)
        {
            // A name lookup (DnsEndPoint) opens files and sockets of its own and may hit the limit too.
            outOfDescriptors = IsOutOfDescriptors(ex);
            reason = ex.SocketErrorCode.ToString();
        }
        catch
        {
            // Unexpected (a bug, not the network): nothing is handed over.
            timeout.Dispose();
            socket.Dispose();
            throw;
        }

        timeout.Dispose();
        socket.Dispose();
        metrics.ConnectDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, TcpProxyMetrics.PoolTags(settings));
        if (outOfDescriptors)
        {
            LogOutOfDescriptors(logger, settings.Pool, settings.Protocol, host.Name, host.Address, host.Port);
        }
        else
        {
            LogConnectFailed(logger, settings.Pool, settings.Protocol, host.Name, host.Address, host.Port, reason);
        }

        return (null, null, outOfDescriptors);
    }

    /// <summary>EMFILE and ENFILE both map to <see cref="SocketError.TooManyOpenSockets"/> (see <see cref="AcceptErrors"/>).</summary>
    private static bool IsOutOfDescriptors(SocketException exception) => exception.SocketErrorCode == SocketError.TooManyOpenSockets;

    /// <summary>The host socket the dispatcher makes when given no other factory.</summary>
    internal static Socket CreateSocket(EndPoint endPoint)
    {
        var socket = endPoint is IPEndPoint ip
            ? new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        return socket;
    }
}
