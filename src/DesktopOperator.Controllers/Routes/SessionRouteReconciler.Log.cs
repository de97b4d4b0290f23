using DesktopOperator.Api.V1Alpha1;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Controllers.Routes;

internal sealed partial class SessionRouteReconciler
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Route {Namespace}/{Route}: {Phase} ({Reason}): {Message}")]
    private static partial void LogRouteChanged(ILogger logger, string? @namespace, string route, SessionRoutePhase? phase, string reason, string message);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Route {Namespace}/{Route} deleted (was {Phase})")]
    private static partial void LogRouteDeleted(ILogger logger, string? @namespace, string route, SessionRoutePhase? phase);
}
