using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Accept;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace DesktopOperator.Gateway.Http;

/// <summary>
/// YARP's client factory with one change: the socket to a host is made through the <see cref="DescriptorReserve"/>'s
/// guard, as the TCP proxy's are. A connect of an Http pool that meets the open-file limit then gives the reserve
/// back at once (before, only a failed accept or a health check did, up to one check interval later), and none is
/// made while the reserve is out and the descriptors are not free again (the request gets YARP's 502).
/// </summary>
internal sealed class ReserveGuardedHttpClientFactory(
    DescriptorReserve reserve, ILogger<ForwarderHttpClientFactory> logger, Func<EndPoint, Socket>? createSocket = null)
    : ForwarderHttpClientFactory(logger)
{
    // By default the TCP proxy's host socket, which for a DnsEndPoint is SocketsHttpHandler's own: dual-mode, Nagle off.
    private readonly Func<EndPoint, Socket> _createSocket = reserve.Guard(createSocket ?? UpstreamDispatcher.CreateSocket);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectCallback = ConnectAsync;
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = _createSocket(context.DnsEndPoint);
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
