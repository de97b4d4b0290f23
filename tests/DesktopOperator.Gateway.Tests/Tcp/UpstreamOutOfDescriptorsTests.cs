using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp;

namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>
/// The gateway out of descriptors when it connects to a host (socket(2) fails with EMFILE/ENFILE, which .NET raises as
/// <see cref="SocketError.TooManyOpenSockets"/>): the gateway's fault, never the host's. The socket factory seam
/// throws what the runtime throws; the process-level case (a real limit, via prlimit) is in the end-to-end tests.
/// </summary>
public sealed class UpstreamOutOfDescriptorsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static TcpProxyOptions Options => new() { ConnectTimeout = TimeSpan.FromSeconds(5), MaxConnectAttempts = 3 };

    [Fact]
    public async Task OnConnectedAsync_UpstreamSocketOutOfDescriptors_ClientClosedHostNotBlamedNotRedispatched()
    {
        await using var first = TestBackend.Echo();
        await using var second = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness();
        gateway.Router.AddHost("h1", first.Port);
        gateway.Router.AddHost("h2", second.Port);
        var factory = new FailingSocketFactory { Failing = true };
        // One connection per host: a host slot not given back after the failure would make the next client fail.
        var limits = new TcpConnectionLimits(0, 1);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options, limits: limits, createUpstreamSocket: factory.Create);

        using (var client = await TcpProxyHarness.ConnectAsync(port))
        {
            var received = await TcpProxyHarness.ReadToEndAsync(client, Bound);
            Assert.Empty(received);
        }

        await TcpProxyHarness.WaitUntilAsync(
            () => gateway.Sum("gateway_connections", ("result", "gateway_out_of_descriptors")) == 1, Bound, "the out-of-descriptors count");
        Assert.Equal([TcpProxyError.GatewayOutOfDescriptors], gateway.Outcomes.ToArray());
        Assert.Empty(gateway.Router.ConnectFailures);
        Assert.Single(gateway.Router.Requests); // not redispatched to h2
        Assert.Equal(1, factory.Calls);
        Assert.Equal(0, first.Connections + second.Connections);
        Assert.Equal(0, gateway.Sum("gateway_connections", ("result", "upstream_connect")));
        Assert.Equal(0, limits.HostConnections("h1"));

        // Descriptors free again: the same host serves (it was neither excluded nor marked, and its slot is back).
        factory.Failing = false;
        using var served = await TcpProxyHarness.ConnectAsync(port);
        await served.SendAsync(new byte[] { 42 }, SocketFlags.None);
        var reply = new byte[1];
        Assert.Equal(1, await served.ReceiveAsync(reply, SocketFlags.None));
        Assert.Equal(42, reply[0]);
        Assert.Equal(["h1"], gateway.Router.ConnectSuccesses.ToArray());
        Assert.Empty(gateway.Router.ConnectFailures);
    }

    [Fact]
    public void ResultLabel_GatewayOutOfDescriptors_HasItsOwnLabel()
    {
        Assert.Equal("gateway_out_of_descriptors", TcpProxyMetrics.ResultLabel(TcpProxyError.GatewayOutOfDescriptors, default));
    }

    /// <summary>Throws what socket(2) at EMFILE throws while <see cref="Failing"/>; otherwise makes a real socket.</summary>
    private sealed class FailingSocketFactory
    {
        private int _calls;
        private bool _failing;

        public bool Failing
        {
            get => Volatile.Read(ref _failing);
            set => Volatile.Write(ref _failing, value);
        }

        public int Calls => Volatile.Read(ref _calls);

        public Socket Create(EndPoint endPoint)
        {
            Interlocked.Increment(ref _calls);
            if (Failing)
            {
                throw new SocketException((int)SocketError.TooManyOpenSockets);
            }

            return new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        }
    }
}
