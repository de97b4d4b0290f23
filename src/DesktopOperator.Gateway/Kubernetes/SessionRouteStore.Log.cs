using DesktopOperator.Api.V1Alpha1;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Kubernetes;

internal sealed partial class SessionRouteStore
{
    [LoggerMessage(EventId = 3861, Level = LogLevel.Warning, Message = "API server unreachable: routes are served from the cache and {Owed} route writes are kept to retry: {Reason}")]
    private partial void LogUnreachable(int owed, string reason);

    [LoggerMessage(EventId = 3862, Level = LogLevel.Information, Message = "API server reachable again: writing {Owed} owed route writes")]
    private partial void LogReachable(int owed);

    [LoggerMessage(EventId = 3863, Level = LogLevel.Information, Message = "Route {Pool} {Key} changed on the server under a write owed here: {Decision}")]
    private partial void LogRebased(string pool, string key, string decision);

    [LoggerMessage(EventId = 3866, Level = LogLevel.Information, Message = "Route {Pool} {Key} changed on the server under a write owed here: another writer's decision stands (host {Host}, {Phase}); the change made here is dropped")]
    private partial void LogYielded(string pool, string key, string? host, SessionRoutePhase phase);

    [LoggerMessage(EventId = 3867, Level = LogLevel.Error, Message = "Route writer failed; owed writes are tried again")]
    private partial void LogWriterFailed(Exception error);

    [LoggerMessage(EventId = 3864, Level = LogLevel.Warning, Message = "Route {Pool} {Key} could not be written and the change was dropped: {Reason}")]
    private partial void LogWriteDropped(string pool, string key, string reason);

    [LoggerMessage(EventId = 3865, Level = LogLevel.Debug, Message = "Route {Pool} {Key} kept locally, owed to the API server: {Reason}")]
    private partial void LogKeptLocally(string pool, string key, string reason);
}
