using System.Net.Sockets;
using System.Text;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Tcp;

namespace DesktopOperator.Gateway.Tests.Tcp;

/// <summary>A queued client that gives up leaves the queue at once and never takes a slot; one that half-closes stays.</summary>
public sealed class TcpProxyQueueTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // A queue timeout far beyond the test's bounds: a client noticed "at once" is not one that timed out.
    private static TcpProxyOptions Options => new() { ConnectTimeout = TimeSpan.FromSeconds(2), QueueTimeout = TimeSpan.FromMinutes(10) };

    [Theory]
    [InlineData("Tcp")]
    [InlineData("Vnc")]
    public async Task OnConnectedAsync_QueuedClientResets_LeavesAtOnceAndNeverGetsTheSlot(string kind)
    {
        await using var backend = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness();
        var full = QueueWhileFull(gateway, backend);
        var (port, _) = await gateway.StartAsync(Enum.Parse<TcpProtocolKind>(kind), Options);

        var leaver = await TcpProxyHarness.ConnectAsync(port);
        await TcpProxyHarness.WaitUntilAsync(() => !gateway.Router.Requests.IsEmpty, Bound, "the queued routing request");
        leaver.LingerState = new LingerOption(true, 0);
        leaver.Dispose(); // a reset

        await TcpProxyHarness.WaitUntilAsync(() => gateway.Outcomes.Count == 1, Bound, "the abandoned client's outcome");
        Assert.Equal([TcpProxyError.QueueAbandoned], gateway.Outcomes);
        Assert.Equal(1, gateway.Sum("gateway_connections", ("result", "queue_abandoned")));

        // The slot frees: the next client gets it, the one that left never connects to the host.
        full.Value = false;
        gateway.Router.SignalChange();
        using var next = await TcpProxyHarness.ConnectAsync(port);
        await next.SendAsync(new byte[] { 9 }, SocketFlags.None);
        var reply = new byte[1];
        Assert.Equal(1, await next.ReceiveAsync(reply, SocketFlags.None).WaitAsync(Bound));
        Assert.Equal(1, backend.Connections);
    }

    [Fact]
    public async Task OnConnectedAsync_QueuedVncClientCloses_FinLeavesTheQueue()
    {
        await using var gateway = new TcpProxyHarness();
        gateway.Router.Decide = (_, _) => new RoutingDecision(RoutingResult.Queued, "pool full");
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Vnc, Options);

        using var client = await TcpProxyHarness.ConnectAsync(port);
        await TcpProxyHarness.WaitUntilAsync(() => !gateway.Router.Requests.IsEmpty, Bound, "the queued routing request");
        client.Shutdown(SocketShutdown.Send); // a VNC client never half-closes before the server's banner: it left

        Assert.Empty(await TcpProxyHarness.ReadToEndAsync(client, Bound));
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Outcomes.Count == 1, Bound, "the outcome");
        Assert.Equal([TcpProxyError.QueueAbandoned], gateway.Outcomes);
    }

    [Fact]
    public async Task OnConnectedAsync_QueuedTcpClientSendsAndHalfCloses_StaysQueuedAndHostGetsBytesAndEof()
    {
        await using var backend = new TestBackend(static async (socket, token) =>
        {
            var received = 0;
            var buffer = new byte[1024];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, token)) > 0)
            {
                received += read;
            }

            await socket.SendAsync(Encoding.ASCII.GetBytes($"got {received}"), SocketFlags.None, token);
            socket.Shutdown(SocketShutdown.Send);
        });
        await using var gateway = new TcpProxyHarness();
        var full = QueueWhileFull(gateway, backend);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);

        using var client = await TcpProxyHarness.ConnectAsync(port);
        await TcpProxyHarness.WaitUntilAsync(() => !gateway.Router.Requests.IsEmpty, Bound, "the queued routing request");
        await client.SendAsync(new byte[5], SocketFlags.None);
        client.Shutdown(SocketShutdown.Send); // request sent, half-closed: waits for the answer (nc -N)
        gateway.Router.SignalChange(); // a re-ask while still full: the client stays queued
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Router.Requests.Count >= 2, Bound, "a second routing request");
        full.Value = false;
        gateway.Router.SignalChange();

        Assert.Equal("got 5", Encoding.ASCII.GetString(await TcpProxyHarness.ReadToEndAsync(client, Bound)));
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Outcomes.Count == 1, Bound, "the outcome");
        Assert.Equal([TcpProxyError.None], gateway.Outcomes);
    }

    /// <summary>Queues every request while the returned box holds true, then routes to the backend.</summary>
    private static StrongBoxFlag QueueWhileFull(TcpProxyHarness gateway, TestBackend backend)
    {
        var host = gateway.Router.AddHost("h1", backend.Port);
        var full = new StrongBoxFlag { Value = true };
        gateway.Router.Decide = (_, _) => full.Value
            ? new RoutingDecision(RoutingResult.Queued, "pool full")
            : new RoutingDecision(RoutingResult.Routed, "slot", host);
        return full;
    }

    private sealed class StrongBoxFlag
    {
        private volatile bool _value;

        public bool Value
        {
            get => _value;
            set => _value = value;
        }
    }
}
