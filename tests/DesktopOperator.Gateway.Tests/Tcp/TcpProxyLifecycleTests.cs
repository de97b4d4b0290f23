using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Tcp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>Queueing, rejects, limits, PROXY protocol, unbinding and graceful shutdown.</summary>
public class TcpProxyLifecycleTests
{
    /// <summary>0: the connections relay on the .NET socket engine (<c>TcpPump</c>); see the subclass for the relay loop.</summary>
    protected virtual int RelayThreads => 0;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static TcpProxyOptions Options => new() { ConnectTimeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task OnConnectedAsync_ProxyProtocolOn_HostReceivesExactV2Header()
    {
        var header = new TaskCompletionSource<byte[]>();
        await using var backend = new TestBackend(async (socket, token) =>
        {
            var buffer = new byte[28];
            var read = 0;
            while (read < buffer.Length)
            {
                read += await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, token);
            }

            header.TrySetResult(buffer);
            await TestBackend.EchoAsync(socket, token);
        });
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options, proxyProtocol: true);

        using var client = await TcpProxyHarness.ConnectAsync(port);
        var clientPort = ((IPEndPoint)client.LocalEndPoint!).Port;

        byte[] expected =
        [
            0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
            0x21, 0x11, 0x00, 0x0C,
            127, 0, 0, 1, 127, 0, 0, 1,
            (byte)(clientPort >> 8), (byte)clientPort, (byte)(port >> 8), (byte)port,
        ];
        Assert.Equal(expected, await header.Task.WaitAsync(Bound));
    }

    [Fact]
    public async Task OnConnectedAsync_QueuedThenSlotFreed_Connects()
    {
        await using var backend = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        var host = gateway.Router.AddHost("h1", backend.Port);
        var full = true;
        gateway.Router.Decide = (_, _) => Volatile.Read(ref full)
            ? new RoutingDecision(RoutingResult.Queued, "pool full")
            : new RoutingDecision(RoutingResult.Routed, "slot", host);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);

        using var client = await TcpProxyHarness.ConnectAsync(port);
        await TcpProxyHarness.WaitUntilAsync(() => !gateway.Router.Requests.IsEmpty, Bound, "the first routing request");
        Volatile.Write(ref full, false);
        gateway.Router.SignalChange();
        await client.SendAsync(new byte[] { 42 }, SocketFlags.None);
        var reply = new byte[1];

        Assert.Equal(1, await client.ReceiveAsync(reply, SocketFlags.None));
        Assert.Equal(42, reply[0]);
    }

    [Fact]
    public async Task OnConnectedAsync_QueuedTooLong_ClosedWithQueueTimeout()
    {
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.Decide = (_, _) => new RoutingDecision(RoutingResult.Queued, "pool full");
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options with { QueueTimeout = TimeSpan.FromMilliseconds(200) });

        using var client = await TcpProxyHarness.ConnectAsync(port);

        Assert.Empty(await TcpProxyHarness.ReadToEndAsync(client, Bound));
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Outcomes.Count == 1, Bound, "the outcome");
        Assert.Equal([TcpProxyError.QueueTimeout], gateway.Outcomes);
    }

    [Fact]
    public async Task OnConnectedAsync_RouterRejects_ClosedAndCountedByResult()
    {
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.Decide = (_, _) => new RoutingDecision(RoutingResult.RejectedFull, "pool full");
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Vnc, Options);

        using var client = await TcpProxyHarness.ConnectAsync(port);

        Assert.Empty(await TcpProxyHarness.ReadToEndAsync(client, Bound));
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Sum("gateway_connections", ("result", "rejected_full")) == 1, Bound, "the reject count");
        Assert.Equal([TcpProxyError.Rejected], gateway.Outcomes);
    }

    [Fact]
    public async Task OnConnectedAsync_HostAtLimit_NextHostUsedThenPoolLimitCloses()
    {
        await using var first = TestBackend.Silent();
        await using var second = TestBackend.Silent();
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", first.Port);
        gateway.Router.AddHost("h2", second.Port);
        var limits = new TcpConnectionLimits(maxPerPool: 2, maxPerHost: 1);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options, limits: limits);

        using var a = await TcpProxyHarness.ConnectAsync(port);
        await TcpProxyHarness.WaitUntilAsync(() => first.Connections == 1, Bound, "the first host's connection");
        using var b = await TcpProxyHarness.ConnectAsync(port);
        await TcpProxyHarness.WaitUntilAsync(() => second.Connections == 1, Bound, "the second host's connection");
        using var c = await TcpProxyHarness.ConnectAsync(port);

        Assert.Empty(await TcpProxyHarness.ReadToEndAsync(c, Bound));
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Outcomes.Count == 1, Bound, "the outcome");
        Assert.Equal([TcpProxyError.PoolLimit], gateway.Outcomes);
        Assert.Equal(1, limits.HostConnections("h1"));
        Assert.Equal(1, limits.HostConnections("h2"));
    }

    [Fact]
    public async Task UnbindAsync_LiveConnection_KeepsFlowingWhileNewOnesAreRefused()
    {
        await using var backend = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);
        using var client = await TcpProxyHarness.ConnectAsync(port);
        await TcpProxyHarness.WaitUntilAsync(() => backend.Connections == 1, Bound, "the upstream connection");

        await gateway.Manager.UnbindAsync("listener-1", CancellationToken.None);

        await Assert.ThrowsAsync<SocketException>(() => TcpProxyHarness.ConnectAsync(port));
        await client.SendAsync(new byte[] { 7 }, SocketFlags.None);
        var reply = new byte[1];
        Assert.Equal(1, await client.ReceiveAsync(reply, SocketFlags.None));
        Assert.Empty(gateway.Manager.Names);
    }

    [Fact]
    public async Task Rebind_LiveSessionOnOldPortRunsToItsEnd_ThenOldHandlerIsDisposed()
    {
        await using var backend = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (oldPort, oldHandler) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);
        var client = await TcpProxyHarness.ConnectAsync(oldPort);
        await TcpProxyHarness.WaitUntilAsync(() => backend.Connections == 1, Bound, "the upstream connection");

        // What a reload that moves the port does: unbind the old listener, bind a new one.
        await gateway.Manager.UnbindAsync("listener-1", CancellationToken.None);
        var (newPort, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);

        await Assert.ThrowsAsync<SocketException>(() => TcpProxyHarness.ConnectAsync(oldPort));
        using (var fresh = await TcpProxyHarness.ConnectAsync(newPort))
        {
            await fresh.SendAsync(new byte[] { 8 }, SocketFlags.None);
            Assert.Equal(1, await fresh.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Bound));
        }

        await client.SendAsync(new byte[] { 7 }, SocketFlags.None);
        Assert.Equal(1, await client.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Bound));
        Assert.False(oldHandler.IsDisposed);
        client.Shutdown(SocketShutdown.Send);
        Assert.Empty(await TcpProxyHarness.ReadToEndAsync(client, Bound));
        client.Dispose();

        await TcpProxyHarness.WaitUntilAsync(() => oldHandler.IsDisposed, Bound, "the old handler disposed after its last session");
    }

    [Fact]
    public async Task StopAsync_ConnectionEndsWithinDrainTime_EndsNormally()
    {
        await using var backend = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (port, handler) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);
        var client = await TcpProxyHarness.ConnectAsync(port);
        await TcpProxyHarness.WaitUntilAsync(() => backend.Connections == 1, Bound, "the upstream connection");

        var stop = gateway.Manager.StopAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        await client.SendAsync(new byte[] { 9 }, SocketFlags.None);
        var reply = new byte[1];
        Assert.Equal(1, await client.ReceiveAsync(reply, SocketFlags.None));
        Assert.False(stop.IsCompleted);
        client.Shutdown(SocketShutdown.Send);
        await TcpProxyHarness.ReadToEndAsync(client, Bound);
        client.Dispose();
        await stop.WaitAsync(Bound);

        Assert.Equal(0, handler.ActiveConnections);
        Assert.Equal([TcpProxyError.None], gateway.Outcomes);
    }

    [Fact]
    public async Task StopAsync_ConnectionOutlivesDrainTime_Canceled()
    {
        await using var backend = TestBackend.Silent();
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (port, handler) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);
        using var client = await TcpProxyHarness.ConnectAsync(port);
        await TcpProxyHarness.WaitUntilAsync(() => handler.ActiveConnections == 1 && backend.Connections == 1, Bound, "the proxied connection");

        await gateway.Manager.StopAsync(TimeSpan.FromMilliseconds(200), CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(0, handler.ActiveConnections);
        Assert.Empty(await TcpProxyHarness.ReadToEndAsync(client, Bound));
        Assert.Equal([TcpProxyError.Canceled], gateway.Outcomes);
    }
}
