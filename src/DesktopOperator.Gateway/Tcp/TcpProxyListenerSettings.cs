namespace DesktopOperator.Gateway.Tcp;

/// <summary>What one listener serves: a pool's protocol (<c>spec.protocols[].name</c>) on a gateway port.</summary>
/// <param name="Pool">The pool key, <c>namespace/name</c>.</param>
/// <param name="SendProxyProtocol">Prefix each upstream connection with a PROXY protocol v2 header.</param>
internal sealed record TcpProxyListenerSettings(string Pool, string Protocol, TcpProtocolKind Kind, bool SendProxyProtocol = false)
{
    /// <summary>VNC only: lock out client addresses after failed logins; null for none.</summary>
    public Vnc.VncClientLockoutSettings? ClientLockout { get; init; }
}
