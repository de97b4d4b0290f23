using System.Net;
using System.Net.Sockets;
using DesktopOperator.EndToEndTests.Standalone;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.EndToEndTests.Proxies;

/// <summary>
/// <c>--io-threads N</c> reaches the runtime before its socket engine starts: the gateway process runs exactly N
/// socket event threads (the runtime names them ".NET Sockets"), and relays through them. 3 is a count no default
/// gives on any machine with fewer than 3 cores, nor on this one (the runtime's own default is 1 engine per 30 cores,
/// or one per core with inline completions).
/// </summary>
public sealed class IoThreadsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [ToolFact("setsid")]
    public async Task IoThreadsThree_ProcessRunsThreeSocketEventThreads_AndRelaysThroughThem()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var host = new HalfCloseHost(LoopbackPorts.Address(63), static async (socket, token) =>
        {
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
            await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, token);
            return read > 0 ? "echoed" : string.Empty;
        });
        using var folders = new GatewayFolders("io-threads");
        var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        folders.WritePool(GatewayProxy.ManifestFile, new ProxySetup(IPAddress.Loopback, [new ProxyBackend("echo", host.EndPoint)], ProxyBalancing.RoundRobin) { ProtocolKind = "Tcp" }, port);
        await using var gateway = await StandaloneGateway.StartAsync(folders.Options("gateway") with { ExtraArguments = ["--io-threads", "3"] }, cts.Token);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        await client.SendAsync("ping"u8.ToArray(), SocketFlags.None, cts.Token);
        var reply = new byte[4];
        var got = 0;
        while (got < reply.Length && await client.ReceiveAsync(reply.AsMemory(got), SocketFlags.None, cts.Token) is var n and > 0)
        {
            got += n;
        }

        Assert.Equal("ping"u8.ToArray(), reply);
        Assert.Equal("echoed", await host.Received.WaitAsync(Timeout, cts.Token));
        var threads = SocketEventThreads(gateway.ProcessId);
        Assert.True(threads == 3, $"{threads} socket event threads; {gateway.Describe()}");
    }

    private static int SocketEventThreads(int processId) =>
        Directory.EnumerateDirectories($"/proc/{processId}/task")
            .Count(task => File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == ".NET Sockets");
}
