using System.Net;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp;

internal sealed partial class TcpProxyConnectionHandler
{
    private void LogOutcome(EndPoint? client, ConnectionOutcome outcome, TimeSpan duration)
    {
        var level = outcome.Error switch
        {
            TcpProxyError.None or TcpProxyError.Rejected or TcpProxyError.ClientLockedOut or TcpProxyError.QueueTimeout or TcpProxyError.QueueAbandoned or TcpProxyError.PoolLimit or TcpProxyError.HostLimit => LogLevel.Information,
            TcpProxyError.UpstreamConnect or TcpProxyError.GatewayOutOfDescriptors or TcpProxyError.UpstreamRead or TcpProxyError.UpstreamWrite or TcpProxyError.RoutingFailed => LogLevel.Warning,
            _ => LogLevel.Debug,
        };
        if (_logger.IsEnabled(level))
        {
            LogConnectionEnded(
                _logger,
                level,
                Settings.Pool,
                Settings.Protocol,
                client,
                outcome.Host,
                outcome.Error,
                outcome.HandshakeReject,
                outcome.Error == TcpProxyError.Rejected ? outcome.Routing : null,
                outcome.BytesToHost,
                outcome.BytesToClient,
                duration.TotalMilliseconds);
        }
    }

    [LoggerMessage(EventId = 3601, Message = "Connection from {Client} to pool {Pool} ({Protocol}) via host {Host} ended: {Result} {Reject}{Routing}; {BytesToHost} bytes to host, {BytesToClient} to client, {DurationMs} ms")]
    private static partial void LogConnectionEnded(ILogger logger, LogLevel level, string pool, string protocol, EndPoint? client, string? host, TcpProxyError result, string? reject, RoutingResult? routing, long bytesToHost, long bytesToClient, double durationMs);

    [LoggerMessage(EventId = 3602, Level = LogLevel.Information, Message = "Drain time of pool {Pool} ({Protocol}) is over: canceling {Count} live connections")]
    private static partial void LogDrainCanceling(ILogger logger, string pool, string protocol, int count);
}
