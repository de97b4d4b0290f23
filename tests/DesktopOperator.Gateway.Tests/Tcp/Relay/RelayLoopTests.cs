using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Relay;
using DesktopOperator.Testing.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Gateway.Tests.Tcp.Relay;

/// <summary>
/// The relay loop on its own, between two loopback connections (client ⇄ relay ⇄ host), and its connect: what the
/// handler tests (run on a loop in <see cref="TcpProxyConnectionHandlerOnRelayLoopTests"/>) cannot reach: the
/// relay's sockets closed by the loop as it ends, a connect's given back open, a loop that stops under live relays, a connect
/// canceled while it waits, a relay of a socket the loop connected itself.
/// </summary>
public sealed class RelayLoopTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RelayAsync_BothSendersFinish_EndsCleanAndClosesBothSockets()
    {
        using var loop = new RelayLoop("TCP relay test", NullLogger.Instance);
        await using var relay = await Relay.StartAsync(loop);

        await ExchangeThenFinishAsync(relay);

        Assert.Equal(TcpProxyError.None, await OffTheLoop(relay.Outcome));
        Assert.Equal(5, relay.ToHost.Total);
        Assert.Equal(5, relay.ToClient.Total);
        // Closed by the loop before the outcome (the close takes them out of its set); the peers read the end.
        Assert.True(relay.Client.SafeHandle.IsClosed);
        Assert.True(relay.Upstream.SafeHandle.IsClosed);
        Assert.Equal(0, await relay.ClientPeer.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Bound));
        Assert.Equal(0, await relay.HostPeer.ReceiveAsync(new byte[1], SocketFlags.None).WaitAsync(Bound));
    }

    [Fact]
    public async Task RelayAsync_HostFinishesWhileTheClientReadsNothing_EveryByteArrivesAfterTheHangUp()
    {
        using var loop = new RelayLoop("TCP relay test", NullLogger.Instance);
        await using var relay = await Relay.StartAsync(loop);
        var payload = new byte[8 << 20];
        Random.Shared.NextBytes(payload);

        // Both senders finish while the client has not read a byte: the host's socket hangs up (both directions shut)
        // with megabytes still queued behind the slow client, which must not end the relay early.
        relay.ClientPeer.Shutdown(SocketShutdown.Send);
        var hostSends = Task.Run(async () =>
        {
            await relay.HostPeer.SendAsync(payload, SocketFlags.None);
            relay.HostPeer.Shutdown(SocketShutdown.Send);
        });
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var reading = TcpProxyHarness.ReadToEndAsync(relay.ClientPeer, Bound);
        await hostSends.WaitAsync(Bound);

        Assert.Equal(TcpProxyError.None, await OffTheLoop(relay.Outcome));
        var received = await reading;
        Assert.Equal(payload.Length, received.Length);
        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task RelayAsync_ActivityCanceled_EndsCanceledAndStopsRelaying()
    {
        using var loop = new RelayLoop("TCP relay test", NullLogger.Instance);
        await using var relay = await Relay.StartAsync(loop);

        relay.Activity.Cancel();

        Assert.Equal(TcpProxyError.Canceled, await OffTheLoop(relay.Outcome));
        Assert.True(loop.IsRunning);
    }

    [Fact]
    public async Task Dispose_WithALiveRelay_EndsItCanceledAndLaterRelaysToo()
    {
        var loop = new RelayLoop("TCP relay test", NullLogger.Instance);
        await using var live = await Relay.StartAsync(loop);
        await live.ClientPeer.SendAsync("x"u8.ToArray(), SocketFlags.None);
        Assert.Equal("x", await ReadAsync(live.HostPeer, 1));

        loop.Dispose();

        Assert.Equal(TcpProxyError.Canceled, await OffTheLoop(live.Outcome));
        Assert.False(loop.IsRunning);
        await using var late = await Relay.StartAsync(loop);
        Assert.Equal(TcpProxyError.Canceled, await OffTheLoop(late.Outcome));
    }

    [Fact]
    public async Task RelayAsync_HostResets_UpstreamReadFailure()
    {
        using var loop = new RelayLoop("TCP relay test", NullLogger.Instance);
        await using var relay = await Relay.StartAsync(loop);

        relay.HostPeer.LingerState = new LingerOption(true, 0);
        relay.HostPeer.Close();

        Assert.Equal(TcpProxyError.UpstreamRead, await OffTheLoop(relay.Outcome));
    }

    [Fact]
    public async Task ConnectAsync_ListeningHost_ConnectedAndUsable()
    {
        using var loop = new RelayLoop("TCP relay test", NullLogger.Instance);
        using var listener = Listen(backlog: 4);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        await OffTheLoop(loop.ConnectAsync(socket, (IPEndPoint)listener.LocalEndPoint!, CancellationToken.None));

        using var accepted = await listener.AcceptAsync().WaitAsync(Bound);
        await socket.SendAsync("hi"u8.ToArray(), SocketFlags.None);
        Assert.Equal("hi", await ReadAsync(accepted, 2));
    }

    /// <summary>
    /// The host's socket connected by a loop stays in that loop's set, disabled (one-shot), and the socket engine may
    /// use it before the relay (the VNC security relay does): relayed on the same loop it is re-enabled, on another
    /// loop added; either way the bytes flow both ways.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RelayAsync_HostSocketTheLoopConnected_RelaysBothWays(bool sameLoop)
    {
        using var loop = new RelayLoop("TCP relay test", NullLogger.Instance);
        using var other = new RelayLoop("TCP relay test 2", NullLogger.Instance);
        using var listener = Listen(backlog: 4);
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await OffTheLoop(loop.ConnectAsync(upstream, (IPEndPoint)listener.LocalEndPoint!, CancellationToken.None));
        var hostPeer = await listener.AcceptAsync().WaitAsync(Bound);
        await upstream.SendAsync("pre"u8.ToArray(), SocketFlags.None);
        Assert.Equal("pre", await ReadAsync(hostPeer, 3));

        await using var relay = await Relay.StartAsync(sameLoop ? loop : other, upstream, hostPeer);
        await ExchangeThenFinishAsync(relay);

        Assert.Equal(TcpProxyError.None, await OffTheLoop(relay.Outcome));
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_ConnectionRefused()
    {
        using var loop = new RelayLoop("TCP relay test", NullLogger.Instance);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        EndPoint closed;
        using (var listener = Listen(backlog: 1))
        {
            closed = listener.LocalEndPoint!;
        }

        var error = await Assert.ThrowsAsync<SocketException>(() => OffTheLoop(loop.ConnectAsync(socket, (IPEndPoint)closed, CancellationToken.None)));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        Assert.True(loop.IsRunning);
    }

    [Fact]
    public async Task ConnectAsync_CanceledWhileTheHandshakeWaits_ThrowsOperationCanceled()
    {
        using var loop = new RelayLoop("TCP relay test", NullLogger.Instance);
        // A listener whose accept queue is full drops further SYNs: the next connect waits for a retransmission.
        using var listener = Listen(backlog: 0);
        var filling = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                filling.Add(filler);
                try
                {
                    filler.Connect(listener.LocalEndPoint!);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
                {
                    // Pending or dropped: either way the queue fills.
                }
            }

            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => OffTheLoop(loop.ConnectAsync(socket, (IPEndPoint)listener.LocalEndPoint!, cts.Token)));
            Assert.False(socket.SafeHandle.IsClosed);
        }
        finally
        {
            filling.ForEach(s => s.Dispose());
        }
    }

    /// <summary>"hello" to the host, "world" back to the client, then both senders finish (a clean end).</summary>
    private static async Task ExchangeThenFinishAsync(Relay relay)
    {
        await relay.ClientPeer.SendAsync("hello"u8.ToArray(), SocketFlags.None);
        Assert.Equal("hello", await ReadAsync(relay.HostPeer, 5));
        await relay.HostPeer.SendAsync("world"u8.ToArray(), SocketFlags.None);
        Assert.Equal("world", await ReadAsync(relay.ClientPeer, 5));
        relay.ClientPeer.Shutdown(SocketShutdown.Send);
        relay.HostPeer.Shutdown(SocketShutdown.Send);
    }

    /// <summary>
    /// Awaits a task the loop completes, then leaves the loop's thread: its continuations run there, and a test that
    /// went on there would stop the loop from its own thread (which only asks it to stop).
    /// </summary>
    private static async Task<T> OffTheLoop<T>(Task<T> task)
    {
        try
        {
            return await task.WaitAsync(Bound);
        }
        finally
        {
            await Task.Yield();
        }
    }

    private static async Task OffTheLoop(Task task)
    {
        try
        {
            await task.WaitAsync(Bound);
        }
        finally
        {
            await Task.Yield();
        }
    }

    private static Socket Listen(int backlog)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(backlog);
        return listener;
    }

    private static async Task<string> ReadAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        var total = 0;
        using var cts = new CancellationTokenSource(Bound);
        while (total < count)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, cts.Token);
            Assert.True(read > 0, $"the connection ended after {total} bytes");
            total += read;
        }

        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Two loopback connections, the relay between their inner ends, the test at their outer ends.</summary>
    private sealed class Relay : IAsyncDisposable
    {
        private readonly Meter _meter = new("relay-loop-tests");

        private Relay(Socket clientPeer, Socket client, Socket upstream, Socket hostPeer)
        {
            (ClientPeer, Client, Upstream, HostPeer) = (clientPeer, client, upstream, hostPeer);
            var bytes = _meter.CreateCounter<long>("bytes");
            ToHost = new ByteTally(bytes, [], TimeProvider.System);
            ToClient = new ByteTally(bytes, [], TimeProvider.System);
            Activity = new TimeoutScope(TimeSpan.FromMinutes(5), TimeProvider.System, CancellationToken.None);
        }

        public Socket ClientPeer { get; }

        public Socket Client { get; }

        public Socket Upstream { get; }

        public Socket HostPeer { get; }

        public ByteTally ToHost { get; }

        public ByteTally ToClient { get; }

        public TimeoutScope Activity { get; }

        public Task<TcpProxyError> Outcome { get; private set; } = null!;

        public static async Task<Relay> StartAsync(RelayLoop loop)
        {
            var (upstream, hostPeer) = await LoopbackPair.ConnectAsync(Bound);
            return await StartAsync(loop, upstream, hostPeer);
        }

        /// <summary>Relays a new client connection to <paramref name="upstream"/>, connected to <paramref name="hostPeer"/>.</summary>
        public static async Task<Relay> StartAsync(RelayLoop loop, Socket upstream, Socket hostPeer)
        {
            var (clientPeer, client) = await LoopbackPair.ConnectAsync(Bound);
            var relay = new Relay(clientPeer, client, upstream, hostPeer);
            relay.Outcome = loop.RelayAsync(client, default, upstream, relay.Activity, relay.ToHost, relay.ToClient);
            return relay;
        }

        public async ValueTask DisposeAsync()
        {
            Activity.Cancel();
            await OffTheLoop(Outcome);
            foreach (var socket in new[] { ClientPeer, Client, Upstream, HostPeer })
            {
                socket.Dispose();
            }

            Activity.Dispose();
            _meter.Dispose();
        }
    }
}
