using Microsoft.Extensions.Logging;

namespace DesktopOperator.Runtime.LeaderElection;

public sealed partial class LeaderElector
{
    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "{Identity} campaigning for lease {Lease}")]
    private static partial void LogCampaigning(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "{Identity} started leading on lease {Lease}")]
    private static partial void LogStartedLeading(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "{Identity} stopped leading ({Why})")]
    private static partial void LogStoppedLeading(ILogger logger, string identity, string why);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Information, Message = "{Identity} sees new leader {Leader}")]
    private static partial void LogNewLeader(ILogger logger, string identity, string leader);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "{Identity} failed to acquire or renew: {Reason}")]
    private static partial void LogAttemptFailed(ILogger logger, string identity, string reason);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Information, Message = "{Identity} released lease {Lease}")]
    private static partial void LogReleased(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "{Identity} could not release its lease")]
    private static partial void LogReleaseFailed(ILogger logger, string identity, Exception exception);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Error, Message = "The leader work of {Identity} failed")]
    private static partial void LogWorkFailed(ILogger logger, string identity, Exception exception);
}
