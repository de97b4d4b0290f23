using System.Net;

namespace DesktopOperator.Testing.Proxies;

/// <summary>
/// What every proxy under test is asked to do, so they are compared like for like: listen on a loopback address,
/// balance over <see cref="Backends"/> with <see cref="Balancing"/>, hold up to <see cref="MaxConnections"/>.
/// Backends share one port (a DesktopPool protocol has one host port), on different addresses.
/// </summary>
public sealed record ProxySetup(IPAddress ListenAddress, IReadOnlyList<ProxyBackend> Backends, ProxyBalancing Balancing)
{
    /// <summary>The pool protocol kind the gateway is told (<c>Tcp</c>, <c>Vnc</c>, <c>Ssh</c>, <c>Rdp</c>).</summary>
    public string ProtocolKind { get; init; } = "Tcp";

    /// <summary>
    /// For <c>Vnc</c>: the hosts' <c>vncpasswd -f</c> file, which the gateway's VNC check logs in with. Without it a
    /// VNC pool is checked with a TCP connect and reset (a check that hung up mid-handshake would count as a failed
    /// login on the server).
    /// </summary>
    public string? VncPasswordFile { get; init; }

    /// <summary>Interval (and timeout) of the gateway's protocol health check; null for 1 s.</summary>
    public TimeSpan? CheckInterval { get; init; }

    public int MaxConnections { get; init; } = 9_800;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The port all backends listen on.</summary>
    public int BackendPort => Backends.Count > 0 ? Backends[0].EndPoint.Port : throw new InvalidOperationException("no backends");
}
