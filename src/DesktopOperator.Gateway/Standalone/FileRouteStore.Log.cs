using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Standalone;

internal sealed partial class FileRouteStore
{
    [LoggerMessage(EventId = 3801, Level = LogLevel.Information, Message = "Loaded {Count} routes from {Directory}")]
    private static partial void LogLoaded(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 3802, Level = LogLevel.Warning, Message = "Route file {Path} is corrupt and was skipped: {Reason}")]
    private static partial void LogCorrupt(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3803, Level = LogLevel.Warning, Message = "Route file {Path} could not be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3804, Level = LogLevel.Warning, Message = "Route file {Path} could not be written (retried at the route's next change): {Reason}")]
    private static partial void LogWriteFailed(ILogger logger, string path, string reason);
}
