using System.Net;
using System.Net.Sockets;
using DesktopOperator.EndToEndTests.Standalone;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.EndToEndTests.Proxies;

/// <summary>
/// <c>--io-threads N</c> reaches the runtime before its socket engine starts: the gateway process runs exactly N
/// socket event threads (the runtime names them ".NET Sockets") and N relay threads of its own ("TCP relay 1".."N"),
/// and a connection's bytes move on a relay thread. 3 is a count no default gives on any machine with fewer than 3
/// cores, nor on this one (the runtime's own default is 1 engine per 30 cores, or one per core with inline
/// completions). With 0 there is no relay thread and the socket engine relays.
/// </summary>
public sealed class IoThreadsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [ToolFact("setsid")]
    public async Task IoThreadsThree_ProcessRunsThreeSocketEventAndThreeRelayThreads_AndRelaysOnOne()
    {
        var (threads, relayThreads, relaySwitches) = await EchoThroughGatewayAsync("3");
        Assert.True(threads == 3, $"{threads} socket event threads");
        Assert.Equal(3, relayThreads);
        Assert.True(relaySwitches > 0, "no relay thread ran while the connection was relayed");
    }

    [ToolFact("setsid")]
    public async Task IoThreadsZero_NoRelayThread_TheSocketEngineRelays()
    {
        var (_, relayThreads, _) = await EchoThroughGatewayAsync("0");
        Assert.Equal(0, relayThreads);
    }

    /// <summary>Echoes "ping" six times over one connection through a gateway started with <c>--io-threads</c> <paramref name="ioThreads"/>.</summary>
    /// <returns>Its socket event threads, its relay threads, and the relay threads' context switches during the last five pings.</returns>
    private static async Task<(int Threads, int RelayThreads, long RelaySwitches)> EchoThroughGatewayAsync(string ioThreads)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var host = new HalfCloseHost(LoopbackPorts.Address(63), static async (socket, token) =>
        {
            // Echoes every message until the client's FIN (a health check sends none).
            var buffer = new byte[64];
            var echoed = 0;
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, token) is var read and > 0)
            {
                await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, token);
                echoed++;
            }

            return echoed > 0 ? "echoed" : string.Empty;
        });
        using var folders = new GatewayFolders("io-threads");
        var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        folders.WritePool(GatewayProxy.ManifestFile, new ProxySetup(IPAddress.Loopback, [new ProxyBackend("echo", host.EndPoint)], ProxyBalancing.RoundRobin) { ProtocolKind = "Tcp" }, port);
        await using var gateway = await StandaloneGateway.StartAsync(folders.Options("gateway") with { ExtraArguments = ["--io-threads", ioThreads] }, cts.Token);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        await PingAsync(client, cts.Token);
        // The connection is relayed now (its connect is behind it): only its bytes can make a relay thread run from
        // here, and a thread that runs is switched out again, by its own sleep in epoll_wait or, on a loaded machine,
        // by the peer its send woke (a CI run saw the echo arrive before every epoll_wait: no sleep in five pings).
        var switchesBefore = RelayThreadSwitches(gateway.ProcessId);
        for (var i = 0; i < 5; i++)
        {
            await PingAsync(client, cts.Token);
        }

        var switches = RelayThreadSwitches(gateway.ProcessId) - switchesBefore;
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal("echoed", await host.Received.WaitAsync(Timeout, cts.Token));
        return (
            Threads(gateway.ProcessId).Count(t => t.Name == ".NET Sockets"),
            Threads(gateway.ProcessId).Count(t => t.Name.StartsWith("TCP relay ", StringComparison.Ordinal)),
            switches);
    }

    private static async Task PingAsync(Socket client, CancellationToken cancellationToken)
    {
        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None, cancellationToken);
        var reply = new byte[4];
        var got = 0;
        while (got < reply.Length && await client.ReceiveAsync(reply.AsMemory(got), SocketFlags.None, cancellationToken) is var n and > 0)
        {
            got += n;
        }

        Assert.Equal("ping"u8.ToArray(), reply);
    }

    /// <summary>
    /// Context switches of the relay threads, voluntary (a sleep in epoll_wait) and not (preempted): an idle relay
    /// thread, blocked in epoll_wait, makes neither.
    /// </summary>
    private static long RelayThreadSwitches(int processId) =>
        Threads(processId).Where(t => t.Name.StartsWith("TCP relay ", StringComparison.Ordinal)).Sum(t => ContextSwitches(t.Folder));

    private static IEnumerable<(string Folder, string Name)> Threads(int processId) =>
        Directory.EnumerateDirectories($"/proc/{processId}/task")
            .Select(task => (task, File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n')));

    private static long ContextSwitches(string task) =>
        File.ReadLines(Path.Combine(task, "status"))
            .Where(line => line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .Sum();
}
