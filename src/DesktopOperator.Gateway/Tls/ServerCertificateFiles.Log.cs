using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tls;

internal sealed partial class ServerCertificateFiles
{
    [LoggerMessage(EventId = 4155, Level = LogLevel.Information, Message = "TLS certificate reloaded from {Path}: {Subject}, valid until {NotAfter:u}")]
    private partial void LogReloaded(string path, string subject, DateTime notAfter);

    [LoggerMessage(EventId = 4156, Level = LogLevel.Warning, Message = "TLS certificate files changed but cannot be used: {Reason}; the certificate in force stays")]
    private partial void LogReloadFailed(string reason);
}
