using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Health;

internal sealed partial class HostHealthMonitor
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Host {Pool}/{Host} is now {Current} (was {Previous}): {Reason}")]
        public static partial void HealthChanged(ILogger logger, string pool, string host, HostHealth previous, HostHealth current, string reason);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Health check {Kind} of {Pool}/{Host}: {Outcome} {Detail} in {ElapsedMs:0.0} ms")]
        public static partial void ProbeCompleted(ILogger logger, string pool, string host, string kind, ProbeOutcome outcome, string? detail, double elapsedMs);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Health check {Kind} of {Pool}/{Host} threw; counted as a failure")]
        public static partial void ProbeFailed(ILogger logger, string pool, string host, string kind, Exception exception);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "A HealthChanged handler threw for {Pool}/{Host}")]
        public static partial void HealthChangedHandlerFailed(ILogger logger, string pool, string host, Exception exception);

        [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Health targets updated: {Count} hosts, {Added} started, {Removed} stopped")]
        public static partial void TargetsUpdated(ILogger logger, int count, int added, int removed);
    }
}
