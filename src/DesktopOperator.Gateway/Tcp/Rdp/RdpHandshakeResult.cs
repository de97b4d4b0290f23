namespace DesktopOperator.Gateway.Tcp.Rdp;

/// <summary><paramref name="Reason"/> is the reject reason label when the handshake failed; <paramref name="User"/>
/// the affinity key the request carried (user, else routing token), if any; <paramref name="ReadAhead"/> the client's
/// bytes read so far (the caller disposes it), which go to the host first.</summary>
internal readonly record struct RdpHandshakeResult(TcpProxyError Error, string? Reason, string? User, ReadAhead? ReadAhead);
