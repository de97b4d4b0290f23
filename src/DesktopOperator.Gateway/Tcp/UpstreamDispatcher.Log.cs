using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp;

internal sealed partial class UpstreamDispatcher
{
    [LoggerMessage(EventId = 3611, Level = LogLevel.Warning, Message = "Connect to host {Host} ({Address}:{Port}) of pool {Pool} ({Protocol}) failed: {Reason}; redispatching")]
    private static partial void LogConnectFailed(ILogger logger, string pool, string protocol, string host, string address, int port, string reason);

    [LoggerMessage(EventId = 3613, Level = LogLevel.Warning, Message = "No descriptor left to connect to host {Host} ({Address}:{Port}) of pool {Pool} ({Protocol}): the gateway is at its open-file limit; the client is closed, the host is not blamed (see gateway_connections_total{{result=\"gateway_out_of_descriptors\"}})")]
    private static partial void LogOutOfDescriptors(ILogger logger, string pool, string protocol, string host, string address, int port);

    [LoggerMessage(EventId = 3612, Level = LogLevel.Error, Message = "Routing a connection to pool {Pool} ({Protocol}) failed")]
    private static partial void LogRouterFailed(ILogger logger, string pool, string protocol, Exception exception);
}
