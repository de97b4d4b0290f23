using System.Diagnostics;
using System.Net.Sockets;
using DesktopOperator.Gateway.Tcp;
using Xunit.Abstractions;

namespace DesktopOperator.Gateway.Tests.Tcp;

[CollectionDefinition(nameof(TcpProxyLoadTests), DisableParallelization = true)]
public sealed class TcpProxyLoadDefinition;

/// <summary>Many connections and process-wide measurements: run alone so other tests do not disturb the figures.</summary>
[Collection(nameof(TcpProxyLoadTests))]
public sealed class TcpProxyLoadTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OnConnectedAsync_ThousandSilentRdpClients_AllClosedAfterHandshakeTimeoutAndCounted()
    {
        const int clients = 1000;
        await using var backend = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness();
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Rdp, new TcpProxyOptions { HandshakeTimeout = TimeSpan.FromSeconds(1) });

        var sockets = new List<Socket>(clients);
        try
        {
            for (var i = 0; i < clients; i++)
            {
                sockets.Add(await TcpProxyHarness.ConnectAsync(port));
            }

            var reads = await Task.WhenAll(sockets.Select(s => TcpProxyHarness.ReadToEndAsync(s, Bound)));

            Assert.All(reads, Assert.Empty);
            await TcpProxyHarness.WaitUntilAsync(() => gateway.Sum("gateway_connections", ("result", "handshake_timeout")) == clients, Bound, "1000 timeouts counted");
            Assert.Equal(clients, gateway.Sum("gateway_handshake_rejects", ("reason", "timeout")));
            Assert.Equal(clients, gateway.Outcomes.Count(o => o == TcpProxyError.HandshakeTimeout));
            Assert.Equal(0, backend.Connections);
            Assert.Empty(gateway.Router.Requests);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Pump_SteadyStateCopy_AllocatesAlmostNothing()
    {
        const int chunk = 64 * 1024;
        const long warmup = 16L << 20; // lets the memory pool grow to the pipes' buffer limits first
        const long measured = 64L << 20;
        await using var backend = TestBackend.Echo();
        await using var gateway = new TcpProxyHarness();
        gateway.Router.AddHost("h1", backend.Port);
        var (port, _) = await gateway.StartAsync(TcpProtocolKind.Tcp, new TcpProxyOptions());
        using var client = await TcpProxyHarness.ConnectAsync(port);
        var sendBuffer = new byte[chunk];
        var receiveBuffer = new byte[chunk];
        Random.Shared.NextBytes(sendBuffer);

        // Allocation is counted for the whole process, where other tests' leftovers (timers, closing sockets) may
        // allocate too; a steady cost per read shows in every window, noise does not: the quietest of three counts.
        var allocated = long.MaxValue;
        for (var window = 0; window < 3; window++)
        {
            long start = 0;
            var receiver = ReceiveAsync(client, receiveBuffer, warmup + measured, () => start = GC.GetTotalAllocatedBytes(precise: true), warmup);
            for (long sent = 0; sent < warmup + measured; sent += chunk)
            {
                await client.SendAsync(sendBuffer.AsMemory(), SocketFlags.None);
            }

            await receiver.WaitAsync(Bound);
            allocated = Math.Min(allocated, GC.GetTotalAllocatedBytes(precise: true) - start);
        }

        output.WriteLine($"Allocated {allocated:N0} bytes in the whole process while echoing {measured >> 20} MiB each way through the proxy ({(double)allocated / (measured >> 20):N0} bytes per MiB), quietest of 3 windows.");
        // 128 MiB moved in all (64 MiB each way), about 32,000 reads: one small object per read in our loop would
        // be over 1 MiB by itself. What remains (~0.5 MiB measured) is Kestrel's scatter/gather bookkeeping for
        // multi-segment sends, the pooled array of a coalesced send now and then, and this test's metric listener.
        Assert.True(allocated < 1L << 20, $"steady-state copy allocated {allocated:N0} bytes");
    }

    [Fact]
    public async Task OnConnectedAsync_TwoThousandIdleConnections_CostLittleMemoryEach()
    {
        const int connections = 2000;
        await using var direct = TestBackend.Silent();
        await using var backend = TestBackend.Silent();
        await using var gateway = new TcpProxyHarness();
        gateway.Router.AddHost("h1", backend.Port);
        var (port, handler) = await gateway.StartAsync(TcpProtocolKind.Tcp, new TcpProxyOptions());
        var sockets = new List<Socket>(2 * connections);
        try
        {
            // Warm up every path once, so one-time allocations (pools, JIT) are not counted per connection.
            sockets.Add(await TcpProxyHarness.ConnectAsync(port));
            sockets.Add(await TcpProxyHarness.ConnectAsync(direct.Port));
            await TcpProxyHarness.WaitUntilAsync(() => backend.Connections == 1 && direct.Connections == 1, Bound, "warm-up connections");
            var (managed0, rss0) = Measure();

            // The test's own share of a proxied connection: a client socket and a host socket.
            for (var i = 0; i < connections; i++)
            {
                sockets.Add(await TcpProxyHarness.ConnectAsync(direct.Port));
            }

            await TcpProxyHarness.WaitUntilAsync(() => direct.Connections == connections + 1, Bound, "direct connections");
            var (managed1, rss1) = Measure();

            for (var i = 0; i < connections; i++)
            {
                sockets.Add(await TcpProxyHarness.ConnectAsync(port));
            }

            await TcpProxyHarness.WaitUntilAsync(
                () => backend.Connections == connections + 1 && handler.ActiveConnections == connections + 1, Bound, "proxied connections");
            var (managed2, rss2) = Measure();

            var testManaged = (double)(managed1 - managed0) / connections;
            var testRss = (double)(rss1 - rss0) / connections;
            var gatewayManaged = (double)(managed2 - managed1) / connections - testManaged;
            var gatewayRss = (double)(rss2 - rss1) / connections - testRss;
            output.WriteLine($"Per idle connection, test side (client + host sockets): managed {testManaged:N0} B, RSS {testRss:N0} B.");
            output.WriteLine($"Per idle proxied connection, gateway (client + upstream): managed {gatewayManaged:N0} B, RSS {gatewayRss:N0} B.");
            output.WriteLine("(RSS is noisy: the GC may decommit memory between samples; managed is the firmer figure.)");
            Assert.True(gatewayManaged < 16 * 1024, $"managed memory per idle proxied connection: {gatewayManaged:N0} B");
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    /// <summary>RSS first (a forced collection may decommit memory and blur it), then the live managed heap.</summary>
    private static (long Managed, long Rss) Measure()
    {
        long rss;
        using (var process = Process.GetCurrentProcess())
        {
            rss = process.WorkingSet64;
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (GC.GetTotalMemory(forceFullCollection: true), rss);
    }

    private static async Task ReceiveAsync(Socket socket, byte[] buffer, long total, Action onWarm, long warmup)
    {
        long received = 0;
        var warmed = false;
        while (received < total)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None);
            if (read == 0)
            {
                throw new EndOfStreamException("the proxy closed early"); // not Assert: it allocates per call
            }

            received += read;
            if (!warmed && received >= warmup)
            {
                warmed = true;
                onWarm();
            }
        }
    }
}
