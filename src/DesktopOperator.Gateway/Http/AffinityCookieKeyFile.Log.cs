using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Http;

internal sealed partial class AffinityCookieKeyFile
{
    [LoggerMessage(EventId = 4150, Level = LogLevel.Information, Message = "Cookie keys reloaded from {Path}: {Count} key(s), the last signs")]
    private partial void LogReloaded(string path, int count);

    [LoggerMessage(EventId = 4151, Level = LogLevel.Warning, Message = "Cookie keys file {Path} changed but cannot be used ({Reason}); the keys in force stay")]
    private partial void LogReloadFailed(string path, string reason);
}
