using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Standalone;

internal sealed partial class ManifestFolder<T>
{
    [LoggerMessage(EventId = 3811, Level = LogLevel.Information, Message = "{File}: loaded {Count} resources")]
    private static partial void LogFileLoaded(ILogger logger, string file, int count);

    [LoggerMessage(EventId = 3812, Level = LogLevel.Error, Message = "{File}: {Error}")]
    private static partial void LogFileError(ILogger logger, string file, string error);

    [LoggerMessage(EventId = 3813, Level = LogLevel.Warning, Message = "{File}: keeping its last good version until the errors above are fixed")]
    private static partial void LogKeepingLastGood(ILogger logger, string file);

    [LoggerMessage(EventId = 3814, Level = LogLevel.Information, Message = "{File}: removed, its resources are gone")]
    private static partial void LogFileRemoved(ILogger logger, string file);

    [LoggerMessage(EventId = 3815, Level = LogLevel.Warning, Message = "{File}: could not be read: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(EventId = 3816, Level = LogLevel.Warning, Message = "{Folder}: could not be listed, keeping every resource as it is until the next try: {Reason}")]
    private static partial void LogFolderUnreadable(ILogger logger, string folder, string reason);
}
