using System.Net.Sockets;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>Passes when a TCP connect succeeds; sends and reads nothing.</summary>
internal sealed class TcpConnectProbe : ConnectingProbe
{
    public override string Name => HealthProbeNames.Tcp;

    protected override Task<ProbeResult> ExchangeAsync(Socket socket, CancellationToken cancellationToken) =>
        Task.FromResult(ProbeResult.Success);
}
