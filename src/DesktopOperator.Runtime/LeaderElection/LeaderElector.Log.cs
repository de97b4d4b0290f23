using Microsoft.Extensions.Logging;

namespace DesktopOperator.Runtime.LeaderElection;

public sealed partial class LeaderElector
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "{Identity} campaigning for lease {Lease}")]
    private static partial void LogCampaigning(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "{Identity} started leading on lease {Lease}")]
    private static partial void LogStartedLeading(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "{Identity} stopped leading ({Why})")]
    private static partial void LogStoppedLeading(ILogger logger, string identity, string why);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "{Identity} sees new leader {Leader}")]
    private static partial void LogNewLeader(ILogger logger, string identity, string leader);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "{Identity} failed to acquire or renew: {Reason}")]
    private static partial void LogAttemptFailed(ILogger logger, string identity, string reason);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "{Identity} released lease {Lease}")]
    private static partial void LogReleased(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "{Identity} could not release its lease")]
    private static partial void LogReleaseFailed(ILogger logger, string identity, Exception exception);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "The leader work of {Identity} failed")]
    private static partial void LogWorkFailed(ILogger logger, string identity, Exception exception);
}
