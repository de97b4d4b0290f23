using System.Net.Sockets;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>
/// Passes when a TCP connect succeeds; sends and reads nothing, then closes with a reset (SO_LINGER 0), as HAProxy's
/// plain <c>check</c> does. The reset matters: TigerVNC counts a connection that ends with a FIN before
/// authentication as a failed login of the source address (and blacklists it after 5), but not one reset before it
/// read anything, as long as the reset reaches it before it accepts the connection (measured against Xvnc 1.12: a quiet
/// machine, 200 in a row, none counted; back-to-back on a loaded machine, some are accepted first and counted). Every
/// protocol's default check; for password VNC servers the VNC login check is the safe one.
/// </summary>
internal sealed class TcpConnectProbe : ConnectingProbe
{
    private static readonly LingerOption ResetOnClose = new(enable: true, seconds: 0);

    public override string Name => HealthProbeNames.Tcp;

    protected override Task<ProbeResult> ExchangeAsync(Socket socket, CancellationToken cancellationToken)
    {
        socket.LingerState = ResetOnClose;
        return Task.FromResult(ProbeResult.Success);
    }
}
