using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Standalone;

internal sealed partial class StandaloneGatewayService
{
    [LoggerMessage(EventId = 3821, Level = LogLevel.Information, Message = "Standalone gateway over {Folder}: {Summary}")]
    private static partial void LogStarted(ILogger logger, string folder, StandaloneSummary summary);

    [LoggerMessage(EventId = 3824, Level = LogLevel.Warning, Message = "Standalone gateway over {Folder}: {Summary}")]
    private static partial void LogStartedWithProblems(ILogger logger, string folder, StandaloneSummary summary);

    [LoggerMessage(EventId = 3825, Level = LogLevel.Information, Message = "Manifests reloaded: {Summary}")]
    private static partial void LogReloaded(ILogger logger, StandaloneSummary summary);

    [LoggerMessage(EventId = 3822, Level = LogLevel.Information, Message = "Stopping: live connections may run for {DrainTime} more")]
    private static partial void LogDraining(ILogger logger, string drainTime);

    [LoggerMessage(EventId = 3823, Level = LogLevel.Error, Message = "Reloading the manifests failed; the previous configuration stays in force")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
