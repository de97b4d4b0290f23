using DesktopOperator.Gateway.Health;

namespace DesktopOperator.Gateway.Tests.Health;

internal static class ProbeAssert
{
    /// <summary>Runs a probe against 127.0.0.1 the way the monitor does (timeout on the real clock).</summary>
    public static Task<ProbeResult> RunAsync(IHealthProbe probe, int port, TimeSpan? timeout = null) =>
        HealthProbeRunner.RunAsync(probe, "127.0.0.1", port, timeout ?? TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>A port nothing listens on: bound, then released.</summary>
    public static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
