using Microsoft.Extensions.Logging;

namespace DesktopOperator.Runtime.Controllers;

public sealed partial class Controller
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Controller {Controller} waiting for {Count} caches to sync")]
    private static partial void LogWaitingForCaches(ILogger logger, string controller, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Controller {Controller} starting {Workers} workers")]
    private static partial void LogStarting(ILogger logger, string controller, int workers);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Controller {Controller} stopped")]
    private static partial void LogStopped(ILogger logger, string controller);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Reconciled {Key}: {Outcome}")]
    private static partial void LogReconciled(ILogger logger, ObjectKey key, string outcome);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error, Message = "Reconcile of {Key} failed terminally; not retrying until it changes")]
    private static partial void LogTerminal(ILogger logger, ObjectKey key, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Reconcile of {Key} failed (retry {Retries}); requeued with backoff")]
    private static partial void LogFailed(ILogger logger, ObjectKey key, int retries, Exception exception);
}
