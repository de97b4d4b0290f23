namespace DesktopOperator.Gateway.Routing;

/// <summary>What a pool protocol speaks (DesktopPool <c>spec.protocols[].kind</c>).</summary>
internal enum ProtocolKind
{
    Rdp,
    Vnc,
    Ssh,
    Http,
    Tcp,
}
