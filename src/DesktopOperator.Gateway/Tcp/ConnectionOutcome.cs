using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;

namespace DesktopOperator.Gateway.Tcp;

/// <summary>How one connection ended, for its single log line and its counters.</summary>
/// <param name="Routing">The router's answer when <paramref name="Error"/> is Rejected.</param>
/// <param name="HandshakeReject">The reject reason label when the handshake failed.</param>
/// <param name="BothFinished">
/// The relay ended with both senders finished: the client's FIN was read and every byte reached it, so closing its
/// socket alone sends the FIN still owed to it (see <see cref="ClientSockets.Close"/>).
/// </param>
/// <param name="ClientClosed">A relay thread has closed the client's socket already (see <see cref="Relay.RelayLoop.RelayAsync"/>).</param>
internal readonly record struct ConnectionOutcome(
    TcpProxyError Error,
    RoutingResult Routing = RoutingResult.Routed,
    string? HandshakeReject = null,
    string? Host = null,
    long BytesToHost = 0,
    long BytesToClient = 0,
    bool BothFinished = false,
    bool ClientClosed = false);
