using DesktopOperator.Gateway.Tcp;

namespace DesktopOperator.Gateway.Pools;

/// <summary>
/// One gateway port to listen on: a TCP-kind protocol of a pool. <see cref="Name"/> (<c>namespace/pool/protocol</c>)
/// identifies the listener across reloads; a change of any other field rebinds it.
/// </summary>
/// <param name="IdleTimeout">The pool's <c>spec.sessions.idleTimeout</c>, or null for the gateway's default.</param>
internal sealed record TcpListenerPlan(string Name, int Port, TcpProxyListenerSettings Settings, TimeSpan? IdleTimeout);
