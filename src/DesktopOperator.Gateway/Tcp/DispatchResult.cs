using System.Net.Sockets;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>
/// The end of dispatching one client: on success (<see cref="Error"/> None) a connected <see cref="Upstream"/> socket
/// whose host has been entered in the connection limits (the caller exits it), and the connect's <see cref="Timer"/>,
/// not canceled, for the caller to restart as the relay's idle timer and dispose; otherwise the error, with the
/// router's answer for <see cref="TcpProxyError.Rejected"/>.
/// </summary>
internal readonly record struct DispatchResult(TcpProxyError Error, RoutingResult Routing, Socket? Upstream, RoutingDecision? Decision, TimeoutScope? Timer = null)
{
    public static DispatchResult Failed(TcpProxyError error, RoutingResult routing = RoutingResult.Routed) => new(error, routing, null, null);
}
