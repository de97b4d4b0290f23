using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Tcp;

namespace DesktopOperator.Gateway.Tests.Tcp;

public class TcpProxyConnectionHandlerTests
{
    /// <summary>0: the connections relay on the .NET socket engine (<c>TcpPump</c>); see the subclass for the relay loop.</summary>
    protected virtual int RelayThreads => 0;

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static TcpProxyOptions Options => new() { ConnectTimeout = TimeSpan.FromSeconds(2), HandshakeTimeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task OnConnectedAsync_LargePayloadBothWays_EchoesEveryByte()
    {
        await using var backend = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);
        var payload = RandomNumberGenerator.GetBytes(16 * 1024 * 1024);

        using var client = await TcpProxyHarness.ConnectAsync(port);
        var send = Task.Run(async () =>
        {
            for (var offset = 0; offset < payload.Length; offset += 100_000)
            {
                await client.SendAsync(payload.AsMemory(offset, Math.Min(100_000, payload.Length - offset)), SocketFlags.None);
            }

            client.Shutdown(SocketShutdown.Send);
        });
        var echoed = await TcpProxyHarness.ReadToEndAsync(client, Bound);
        await send;

        Assert.Equal(payload.Length, echoed.Length);
        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed));
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Sum("gateway_connections", ("result", "ok")) == 1, Bound, "the ok count");
        Assert.Equal(payload.Length, gateway.Sum("gateway_bytes", ("direction", "client_to_host")));
        Assert.Equal(payload.Length, gateway.Sum("gateway_bytes", ("direction", "host_to_client")));
        Assert.Equal(0, gateway.Sum("gateway_connections_active"));
        Assert.Equal(0, gateway.Router.ActiveSessions);
        Assert.Equal([TcpProxyError.None], gateway.Outcomes);
    }

    [Fact]
    public async Task OnConnectedAsync_ClientShutsDownSend_HostSeesEofAndRepliesAfterIt()
    {
        // The host reads to EOF, and only then answers: it can only answer if the proxy half-closed.
        await using var backend = new TestBackend(static async (socket, token) =>
        {
            var received = 0;
            var buffer = new byte[4096];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, token)) > 0)
            {
                received += read;
            }

            for (var i = 0; i < 100; i++)
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes($"got {received} bytes\n"), SocketFlags.None, token);
            }

            socket.Shutdown(SocketShutdown.Send);
        });
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Ssh, Options);

        using var client = await TcpProxyHarness.ConnectAsync(port);
        await client.SendAsync(new byte[12345], SocketFlags.None);
        client.Shutdown(SocketShutdown.Send);
        var reply = Encoding.ASCII.GetString(await TcpProxyHarness.ReadToEndAsync(client, Bound));

        Assert.Equal(string.Concat(Enumerable.Repeat("got 12345 bytes\n", 100)), reply);
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Outcomes.Count == 1, Bound, "the outcome");
        Assert.Equal([TcpProxyError.None], gateway.Outcomes);
    }

    [Fact]
    public async Task OnConnectedAsync_HostShutsDownSendFirst_ClientSeesFinAndCanStillSend()
    {
        // The host says its piece and half-closes first, then reads to EOF: the client must see a FIN (not a reset)
        // and its bytes sent after that FIN must still reach the host.
        var hostReceived = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = new TestBackend(async (socket, token) =>
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("banner\n"), SocketFlags.None, token);
            socket.Shutdown(SocketShutdown.Send);
            var received = 0;
            var buffer = new byte[4096];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, token)) > 0)
            {
                received += read;
            }

            hostReceived.TrySetResult(received);
        });
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Ssh, Options);

        using var client = await TcpProxyHarness.ConnectAsync(port);
        var banner = Encoding.ASCII.GetString(await ReadUntilFinAsync(client));
        for (var i = 0; i < 10; i++)
        {
            await client.SendAsync(new byte[10_000], SocketFlags.None);
        }

        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("banner\n", banner);
        Assert.Equal(100_000, await hostReceived.Task.WaitAsync(Bound));
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Outcomes.Count == 1, Bound, "the outcome");
        Assert.Equal([TcpProxyError.None], gateway.Outcomes);
        Assert.Equal(100_000, gateway.Sum("gateway_bytes", ("direction", "client_to_host")));
    }

    /// <summary>Reads until a FIN; a reset fails the test (it is not a half-close).</summary>
    private static async Task<byte[]> ReadUntilFinAsync(Socket socket)
    {
        using var cts = new CancellationTokenSource(Bound);
        var all = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return all.ToArray();
    }

    [Fact]
    public async Task OnConnectedAsync_NothingMoves_ClosedAfterIdleTimeout()
    {
        await using var backend = TestBackend.Silent();
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Vnc, Options with { IdleTimeout = TimeSpan.FromMilliseconds(300) });

        using var client = await TcpProxyHarness.ConnectAsync(port);
        var received = await TcpProxyHarness.ReadToEndAsync(client, Bound);

        Assert.Empty(received);
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Outcomes.Count == 1, Bound, "the outcome");
        Assert.Equal([TcpProxyError.IdleTimeout], gateway.Outcomes);
        Assert.Equal(1, gateway.Sum("gateway_connections", ("result", "idle_timeout")));
    }

    [Fact]
    public async Task OnConnectedAsync_RdpRequestWithCookie_UserRoutedAndRequestForwardedUnchanged()
    {
        var request = RdpConnectionRequestParserTests.BuildRequest("Cookie: mstshash=alice");
        var seen = new TaskCompletionSource<byte[]>();
        await using var backend = new TestBackend(async (socket, token) =>
        {
            var buffer = new byte[request.Length];
            var read = 0;
            while (read < buffer.Length)
            {
                read += await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, token);
            }

            seen.TrySetResult(buffer);
            await socket.SendAsync("confirm"u8.ToArray(), SocketFlags.None, token);
            await TestBackend.EchoAsync(socket, token);
        });
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Rdp, Options);

        using var client = await TcpProxyHarness.ConnectAsync(port);
        await client.SendAsync(request.AsMemory(0, 7), SocketFlags.None); // in two pieces, like a slow network
        await client.SendAsync(request.AsMemory(7), SocketFlags.None);
        var reply = new byte[7];
        Assert.Equal(7, await client.ReceiveAsync(reply, SocketFlags.None));

        Assert.Equal(request, await seen.Task.WaitAsync(Bound));
        Assert.Equal("confirm", Encoding.ASCII.GetString(reply));
        Assert.Equal("alice", Assert.Single(gateway.Router.Requests).User);
    }

    [Fact]
    public async Task OnConnectedAsync_GarbageOnRdpPort_ClosedCountedAndOthersServed()
    {
        await using var backend = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Rdp, Options);

        using (var garbage = await TcpProxyHarness.ConnectAsync(port))
        {
            await garbage.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None);
            Assert.Empty(await TcpProxyHarness.ReadToEndAsync(garbage, Bound));
        }

        using var good = await TcpProxyHarness.ConnectAsync(port);
        var request = RdpConnectionRequestParserTests.BuildRequest("Cookie: mstshash=bob");
        await good.SendAsync(request, SocketFlags.None);
        var echoed = new byte[request.Length];
        var read = 0;
        while (read < echoed.Length)
        {
            read += await good.ReceiveAsync(echoed.AsMemory(read), SocketFlags.None);
        }

        Assert.Equal(request, echoed);
        await TcpProxyHarness.WaitUntilAsync(() => gateway.Sum("gateway_connections", ("result", "handshake_malformed")) == 1, Bound, "the malformed count");
        Assert.Equal(1, gateway.Sum("gateway_handshake_rejects", ("reason", "tpkt_version")));
        Assert.Equal(0, backend.Connections - 1);
        Assert.Equal("bob", Assert.Single(gateway.Router.Requests).User);
    }

    [Fact]
    public async Task OnConnectedAsync_FirstHostDead_RedispatchedToLiveHostEveryTime()
    {
        // Bound but not listening: the port stays ours for the test, and connects to it are refused.
        using var dead = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        dead.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var deadPort = ((System.Net.IPEndPoint)dead.LocalEndPoint!).Port;
        await using var live = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("dead", deadPort);
        gateway.Router.AddHost("live", live.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, Options);

        for (var i = 0; i < 20; i++)
        {
            using var client = await TcpProxyHarness.ConnectAsync(port);
            await client.SendAsync(new byte[] { (byte)i }, SocketFlags.None);
            var reply = new byte[1];
            Assert.Equal(1, await client.ReceiveAsync(reply, SocketFlags.None));
            Assert.Equal((byte)i, reply[0]);
        }

        Assert.Equal(20, gateway.Router.ConnectFailures.Count(h => h == "dead"));
        Assert.Equal(20, gateway.Router.ConnectSuccesses.Count(h => h == "live"));
        Assert.Equal(0, gateway.Sum("gateway_connections", ("result", "upstream_connect")));
    }

    [Fact]
    public async Task OnConnectedAsync_BackendResetsMidStream_UpstreamReadCounted()
    {
        // The host waits for a byte first: a reset before the proxy saw its connect complete would be a failed connect.
        await using var backend = new TestBackend(static async (socket, token) =>
        {
            await socket.ReceiveAsync(new byte[1], SocketFlags.None, token);
            await socket.SendAsync(new byte[100_000], SocketFlags.None, token);
            socket.LingerState = new LingerOption(true, 0);
            socket.Close(); // RST
        });
        await using var gateway = new TcpProxyHarness(relayThreads: RelayThreads);
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Vnc, Options);

        using var client = await TcpProxyHarness.ConnectAsync(port);
        await client.SendAsync(new byte[] { 1 }, SocketFlags.None);
        await TcpProxyHarness.ReadToEndAsync(client, Bound);

        await TcpProxyHarness.WaitUntilAsync(() => gateway.Outcomes.Count == 1, Bound, "the outcome");
        Assert.Equal([TcpProxyError.UpstreamRead], gateway.Outcomes);
        Assert.Equal(1, gateway.Sum("gateway_connections", ("result", "upstream_read")));
    }
}
