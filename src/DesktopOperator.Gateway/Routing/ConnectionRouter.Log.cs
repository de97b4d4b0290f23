using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Routing;

internal sealed partial class ConnectionRouter
{
    [LoggerMessage(EventId = 3701, Level = LogLevel.Information, Message = "Route {Pool}/{Key} created on host {Host}: {Reason}")]
    private partial void LogRouteCreated(string pool, string key, string host, string reason);

    [LoggerMessage(EventId = 3702, Level = LogLevel.Information, Message = "Route {Pool}/{Key} was created concurrently on host {Host}; adopted it")]
    private partial void LogRouteAdopted(string pool, string key, string host);

    [LoggerMessage(EventId = 3703, Level = LogLevel.Information, Message = "Route {Pool}/{Key} moved from host {From} to {To}: {Reason}")]
    private partial void LogRouteMoved(string pool, string key, string? from, string to, string reason);

    [LoggerMessage(EventId = 3704, Level = LogLevel.Debug, Message = "Connection to pool {Pool} not routed ({Result}): {Reason}")]
    private partial void LogNotRouted(string pool, RoutingResult result, string reason);

    [LoggerMessage(EventId = 3705, Level = LogLevel.Information, Message = "Route {Pool}/{Key} waits in the queue at position {Position}: {Reason}")]
    private partial void LogQueued(string pool, string key, int position, string reason);
}
