using System.Net;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tcp;

internal sealed partial class TcpListenerManager
{
    [LoggerMessage(EventId = 3621, Level = LogLevel.Information, Message = "TCP listener {Name} bound on {EndPoint} for pool {Pool} ({Protocol})")]
    private static partial void LogBound(ILogger logger, string name, EndPoint endPoint, string pool, string protocol);

    [LoggerMessage(EventId = 3622, Level = LogLevel.Information, Message = "TCP listener {Name} unbound; {Live} live connections continue")]
    private static partial void LogUnbound(ILogger logger, string name, int live);

    [LoggerMessage(EventId = 3623, Level = LogLevel.Error, Message = "TCP listener {Name} stopped accepting")]
    private static partial void LogAcceptFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(EventId = 3624, Level = LogLevel.Error, Message = "A connection on TCP listener {Name} failed unexpectedly")]
    private static partial void LogConnectionFailed(ILogger logger, string name, Exception exception);
}
