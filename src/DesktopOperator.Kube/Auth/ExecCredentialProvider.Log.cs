using Microsoft.Extensions.Logging;

namespace DesktopOperator.Kube.Auth;

internal sealed partial class ExecCredentialProvider
{
    [LoggerMessage(EventId = 120, Level = LogLevel.Debug, Message = "Credential plugin {Command} ran; credential expires {Expiry}")]
    private static partial void LogPluginRan(ILogger logger, string command, DateTimeOffset? expiry);
}
