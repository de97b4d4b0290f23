namespace DesktopOperator.Gateway.Tcp.Vnc;

/// <summary>The security phase's outcome; when <paramref name="Ended"/>, the connection ended with <paramref name="Error"/>.</summary>
internal readonly record struct VncRelayResult(VncSecurityOutcome Outcome, bool Ended, TcpProxyError Error);
