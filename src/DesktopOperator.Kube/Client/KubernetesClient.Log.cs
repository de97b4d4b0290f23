using Microsoft.Extensions.Logging;

namespace DesktopOperator.Kube.Client;

public sealed partial class KubernetesClient
{
    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "Watch opened: {Path}")]
    private static partial void LogWatchOpened(ILogger logger, string path);

    [LoggerMessage(EventId = 111, Level = LogLevel.Debug, Message = "Watch closed after {Events} events (cancelled: {Cancelled}): {Path}")]
    private static partial void LogWatchClosed(ILogger logger, string path, int events, bool cancelled);
}
