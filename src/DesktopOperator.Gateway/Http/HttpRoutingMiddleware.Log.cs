using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace DesktopOperator.Gateway.Http;

internal sealed partial class HttpRoutingMiddleware
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "HTTP request for pool {Pool} could not reach host {Host}: {Error}")]
    private partial void LogUpstreamFailed(string pool, string host, ForwarderError error);
}
