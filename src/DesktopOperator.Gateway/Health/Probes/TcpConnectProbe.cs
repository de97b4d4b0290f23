using System.Net.Sockets;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>
/// Passes when a TCP connect succeeds; sends and reads nothing, then closes with a reset, as HAProxy's plain
/// <c>check</c> does, but with the handshake left half-open (<see cref="HalfOpenConnect"/>): the server's application
/// never accepts the connection, so a server that counts early hang-ups as failed logins of the source address
/// (TigerVNC, OpenSSH's <c>PerSourcePenalties</c>) has nothing to count. Every protocol's default check.
/// </summary>
internal sealed class TcpConnectProbe : ConnectingProbe
{
    public override string Name => HealthProbeNames.Tcp;

    public override Task<ProbeResult> ProbeAsync(string address, int port, CancellationToken cancellationToken) =>
        ConnectAndExchangeAsync(address, port, ExchangeAsync, cancellationToken, HalfOpenConnect.Prepare);

    protected override Task<ProbeResult> ExchangeAsync(Socket socket, CancellationToken cancellationToken) =>
        Task.FromResult(ProbeResult.Success);
}
