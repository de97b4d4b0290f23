using System.Net;
using System.Net.Sockets;
using System.Text;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.EndToEndTests.Proxies;

/// <summary>
/// TCP half-close through the real proxy process, both ways, with <c>socat</c> as the client (it passes an EOF on as
/// a FIN and keeps the other direction going, as <c>nc -N</c> and SSH do) and HAProxy as the reference. The host is
/// a socket in the test; connections that carry no bytes (the proxy's health checks) are ignored.
/// </summary>
public sealed class HalfCloseTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [ToolTheory("socat", "haproxy", "setsid")]
    [InlineData("gateway")]
    [InlineData("haproxy")]
    public async Task ClientFinishesFirst_HostAnswersAfterItsEof(string proxyName)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var host = new HalfCloseHost(LoopbackPorts.Address(61), static async (socket, token) =>
        {
            var received = await ReadToFinAsync(socket, token);
            if (received.Length > 0)
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes($"host got {received.Length} bytes\n"), SocketFlags.None, token);
            }

            socket.Shutdown(SocketShutdown.Send);
            return received;
        });
        await using var proxy = await ProxyCatalog.Create(proxyName).StartAsync(Setup(host.EndPoint), cts.Token);

        // socat sends stdin, passes its EOF on as a FIN, and prints what comes back until the host's FIN.
        var result = await ProcessRunner.RunAsync(
            "socat", ["-t", "30", "-", $"TCP:{proxy.EndPoint}"], Timeout, cts.Token, standardInput: "hello host\n");

        Assert.True(result.Succeeded, result + "\n" + proxy.Describe());
        Assert.Equal("host got 11 bytes\n", result.Stdout);
        Assert.Equal("hello host\n", await host.Received.WaitAsync(Timeout, cts.Token));
    }

    [ToolTheory("socat", "haproxy", "setsid")]
    [InlineData("gateway")]
    [InlineData("haproxy")]
    public async Task HostFinishesFirst_ClientSeesFinAndStillSends(string proxyName)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var host = new HalfCloseHost(LoopbackPorts.Address(62), static async (socket, token) =>
        {
            await socket.SendAsync("banner\n"u8.ToArray(), SocketFlags.None, token);
            socket.Shutdown(SocketShutdown.Send);
            return await ReadToFinAsync(socket, token);
        });
        await using var proxy = await ProxyCatalog.Create(proxyName).StartAsync(Setup(host.EndPoint), cts.Token);

        // The client's script reads the connection to its EOF (the host's FIN, passed on by the proxy) and only then
        // answers: its answer reaches the host only if the proxy kept the client-to-host half open.
        var script = "cat > /dev/stderr; echo client-after-fin";
        var result = await ProcessRunner.RunAsync(
            "socat", ["-t", "30", $"TCP:{proxy.EndPoint}", $"SYSTEM:{script}"], Timeout, cts.Token);

        Assert.True(result.Succeeded, result + "\n" + proxy.Describe());
        Assert.Equal("banner\n", result.Stderr);
        Assert.Equal("client-after-fin\n", await host.Received.WaitAsync(Timeout, cts.Token));
    }

    private static ProxySetup Setup(IPEndPoint host) =>
        new(IPAddress.Loopback, [new ProxyBackend("half-close-host", host)], ProxyBalancing.RoundRobin) { ProtocolKind = "Tcp" };

    private static async Task<string> ReadToFinAsync(Socket socket, CancellationToken token)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, token)) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return Encoding.ASCII.GetString(all.ToArray());
    }
}
