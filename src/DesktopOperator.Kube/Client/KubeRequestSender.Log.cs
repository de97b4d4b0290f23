using Microsoft.Extensions.Logging;

namespace DesktopOperator.Kube.Client;

internal sealed partial class KubeRequestSender
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "{Method} {Uri} failed ({Why}) on attempt {Attempt}; retrying in {Delay}")]
    private static partial void LogRetrying(ILogger logger, HttpMethod method, Uri? uri, string why, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "{Method} {Uri} was refused with 401; refreshing credentials and trying once more")]
    private static partial void LogCredentialsRefreshed(ILogger logger, HttpMethod method, Uri? uri);
}
