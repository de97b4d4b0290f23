using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Sessions;

internal sealed partial class RouteExpiry
{
    [LoggerMessage(EventId = 3721, Level = LogLevel.Information, Message = "Route {Pool}/{Key} expired after {Idle} without a connection; host {Host} slot freed")]
    private partial void LogRouteExpired(string pool, string key, string? host, TimeSpan idle);

    [LoggerMessage(EventId = 3722, Level = LogLevel.Information, Message = "Route {Pool}/{Key} failed: host {Host} is no longer in the pool")]
    private partial void LogRouteFailed(string pool, string key, string host);

    [LoggerMessage(EventId = 3723, Level = LogLevel.Error, Message = "Route expiry sweep failed; retrying at the next interval")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(EventId = 3724, Level = LogLevel.Information, Message = "Route {Pool}/{Key} deleted: its pool is gone and it was idle for {Idle} (host {Host})")]
    private partial void LogGonePoolRouteDeleted(string pool, string key, string? host, TimeSpan idle);

    [LoggerMessage(EventId = 3725, Level = LogLevel.Information, Message = "Route {Pool}/{Key} was Active with no connection (earlier run): Disconnected from now on, host {Host} kept")]
    private partial void LogRouteAdopted(string pool, string key, string? host);
}
