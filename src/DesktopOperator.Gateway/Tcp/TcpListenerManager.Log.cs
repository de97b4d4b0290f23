using System.Net;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp;

internal sealed partial class TcpListenerManager
{
    [LoggerMessage(EventId = 3621, Level = LogLevel.Information, Message = "TCP listener {Name} bound on {EndPoint} for pool {Pool} ({Protocol})")]
    private static partial void LogBound(ILogger logger, string name, EndPoint endPoint, string pool, string protocol);

    [LoggerMessage(EventId = 3622, Level = LogLevel.Information, Message = "TCP listener {Name} unbound; {Live} live connections continue")]
    private static partial void LogUnbound(ILogger logger, string name, int live);

    [LoggerMessage(EventId = 3624, Level = LogLevel.Error, Message = "A connection on TCP listener {Name} failed unexpectedly")]
    private static partial void LogConnectionFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(EventId = 3626, Level = LogLevel.Warning, Message = "The gateway is at its connection cap ({Max}): new connections are reset (first on pool {Pool}); counted as result gateway_full")]
    private static partial void LogGatewayFull(ILogger logger, int max, string pool);

    [LoggerMessage(EventId = 3627, Level = LogLevel.Information, Message = "The gateway is below its connection cap ({Max}) again after resetting {Refused} connections")]
    private static partial void LogGatewayAdmitting(ILogger logger, int max, int refused);
}
