using Microsoft.Extensions.Logging;

namespace DesktopOperator.Runtime.Informers;

internal sealed partial class Reflector<T>
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Listed {Kind}: {Count} objects at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, string kind, int count, string? resourceVersion);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Watch of {Kind} from resourceVersion {ResourceVersion} expired (410); relisting")]
    private static partial void LogExpired(ILogger logger, string kind, string? resourceVersion);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "The {Operation} of {Kind} failed")]
    private static partial void LogFailed(ILogger logger, string kind, string operation, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Reconnecting the {Kind} informer in {Delay}")]
    private static partial void LogBackingOff(ILogger logger, string kind, TimeSpan delay);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Watch of {Kind} was quiet for {Timeout}; re-opening it")]
    private static partial void LogQuiet(ILogger logger, string kind, TimeSpan timeout);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "Watch of {Kind} ended at once; backing off")]
    private static partial void LogWatchEndedEarly(ILogger logger, string kind);
}
