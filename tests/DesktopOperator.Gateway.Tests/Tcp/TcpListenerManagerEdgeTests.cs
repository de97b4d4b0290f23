using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Tcp;

namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>The accept loop at the gateway cap, and the stop of retired listeners (failed accepts: AcceptEpisodeTests).</summary>
public sealed class TcpListenerManagerEdgeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static TcpProxyOptions Options => new() { ConnectTimeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task AcceptLoop_AtGatewayCap_ResetsAndCountsNewClients_ThenAdmitsWhenOneEnds()
    {
        const int cap = 50;
        await using var backend = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness(new GatewayConnectionCap(cap));
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);
        var served = new List<Socket>();
        try
        {
            for (var i = 0; i < cap; i++)
            {
                var client = await TcpProxyHarness.ConnectAsync(port);
                served.Add(client);
                await AssertEchoesAsync(client, (byte)i);
            }

            // Ten more: the kernel completes their handshakes, the gateway resets each at once.
            for (var i = 0; i < 10; i++)
            {
                await AssertResetAsync(port);
            }

            await TcpProxyHarness.WaitUntilAsync(
                () => gateway.Sum("gateway_connections", ("result", "gateway_full")) == 10, Bound, "ten gateway_full connections counted");
            Assert.Equal(cap, backend.Connections);
            Assert.Equal(cap, gateway.Manager.LiveConnections);

            // The served ones go on, and once one ends a new client is served.
            await AssertEchoesAsync(served[0], 200);
            served[^1].Dispose();
            served.RemoveAt(served.Count - 1);
            await TcpProxyHarness.WaitUntilAsync(() => gateway.Manager.LiveConnections == cap - 1, Bound, "the closed connection to end");
            using var next = await TcpProxyHarness.ConnectAsync(port);
            await AssertEchoesAsync(next, 201);
            Assert.Equal(10, gateway.Sum("gateway_connections", ("result", "gateway_full")));
        }
        finally
        {
            foreach (var client in served)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task StopAsync_RetiredListenerWithLiveSession_CancelsItAfterDrainAndDisposesHandler()
    {
        await using var backend = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness();
        gateway.Router.AddHost("h1", backend.Port);
        var (oldPort, oldHandler) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);
        using var client = await TcpProxyHarness.ConnectAsync(oldPort);
        await AssertEchoesAsync(client, 1);
        await gateway.Manager.UnbindAsync("listener-1", CancellationToken.None);
        var (_, newHandler) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);

        // Bounded: before the fix the stop waited for the retired listener's session to end by itself.
        using var timeout = new CancellationTokenSource(Bound);
        await gateway.Manager.StopAsync(TimeSpan.FromMilliseconds(100), timeout.Token);

        Assert.True(oldHandler.IsDisposed);
        Assert.True(newHandler.IsDisposed);
        Assert.Empty(await TcpProxyHarness.ReadToEndAsync(client, Bound));
        Assert.Equal([TcpProxyError.Canceled], gateway.Outcomes);
    }

    /// <summary>A refused client: the reset may even beat the connect's completion on loopback.</summary>
    private static async Task AssertResetAsync(int port)
    {
        Socket refused;
        try
        {
            refused = await TcpProxyHarness.ConnectAsync(port);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return;
        }

        using (refused)
        {
            Assert.Empty(await TcpProxyHarness.ReadToEndAsync(refused, Bound));
        }
    }

    private static async Task AssertEchoesAsync(Socket client, byte value)
    {
        await client.SendAsync(new[] { value }, SocketFlags.None);
        var reply = new byte[1];
        Assert.Equal(1, await client.ReceiveAsync(reply, SocketFlags.None).WaitAsync(Bound));
        Assert.Equal(value, reply[0]);
    }
}
