using System.Net;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// iperf3, one stream up and one down, through a proxy of its own: an <c>iperf3 -s</c> on 127.0.0.23 is the only host
/// of a fresh instance of the proxy under test (same balancing as the other scenarios), started after the main
/// instance is stopped so the two never compete. A warm-up run (not measured) lets a .NET proxy compile its hot path
/// first. iperf3's control and data connections must reach the same server: with one host every balancing does that.
/// </summary>
internal static class IperfScenario
{
    private static readonly IPAddress ServerAddress = IPAddress.Parse("127.0.0.23");

    public static async Task<IperfFigures> RunAsync(
        IProxyUnderTest proxyUnderTest, ProxyBalancing balancing, TimeSpan duration, TimeSpan warmUp, CancellationToken cancellationToken)
    {
        await using var server = await IperfServer.StartAsync(ServerAddress, cancellationToken);
        var setup = new ProxySetup(IPAddress.Loopback, [new ProxyBackend("iperf3", server.EndPoint)], balancing);
        RunningProxy proxy;
        try
        {
            proxy = await proxyUnderTest.StartAsync(setup, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException)
        {
            throw new IOException($"{proxyUnderTest.Name} for iperf3 did not start: {e.Message}", e);
        }

        await using (proxy)
        {
            await IperfClient.RunAsync(proxy.EndPoint, proxy.ProcessId, warmUp, reverse: false, cancellationToken);
            var upload = await IperfClient.RunAsync(proxy.EndPoint, proxy.ProcessId, duration, reverse: false, cancellationToken);
            var download = await IperfClient.RunAsync(proxy.EndPoint, proxy.ProcessId, duration, reverse: true, cancellationToken);
            return new IperfFigures(upload, download);
        }
    }
}
