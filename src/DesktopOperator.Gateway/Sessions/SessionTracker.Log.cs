using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Sessions;

internal sealed partial class SessionTracker
{
    [LoggerMessage(EventId = 3711, Level = LogLevel.Warning, Message = "Route {Pool}/{Key} was gone while a connection to {Host} is open; restored it")]
    private partial void LogRouteRestored(string pool, string key, string host);

    [LoggerMessage(EventId = 3712, Level = LogLevel.Error, Message = "Writing the session state of route {Pool}/{Key} failed")]
    private partial void LogPersistFailed(Exception exception, string pool, string key);
}
