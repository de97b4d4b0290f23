using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.EndToEndTests.Standalone;

/// <summary>
/// The standalone gateway as a process under a small open-file limit (<c>prlimit --nofile</c>): at
/// <c>--max-connections</c> it resets new clients and counts them, stays alive and healthy, and serves again once
/// connections close. The limit leaves room for the cap (an idle gateway holds about 234 descriptors, two more per
/// proxied connection), so the process never reaches EMFILE itself — which is what the cap is for.
/// <see cref="GatewayOutOfDescriptorsTests"/> takes the other side (a cap above what the limit allows) and shares the
/// helpers below.
/// </summary>
public sealed class GatewayDescriptorLimitTests
{
    private const int OpenFileLimit = 640;
    private const int Cap = 100;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly byte[] OneByte = [1];

    [ToolFact("prlimit", "setsid")]
    public async Task MaxConnections_UnderOpenFileLimit_ResetsOverCapStaysHealthyAndServesAgain()
    {
        await using var limited = LimitedGateway.Start("fd-cap", 73, OpenFileLimit, Cap);
        var (gateway, gatewayPort, admin) = (limited.Process, limited.Port, limited.Admin);
        var held = new List<Socket>();
        try
        {
            await Eventually.TrueAsync(async () => await StatusAsync(admin, "/readyz") == HttpStatusCode.OK || gateway.HasExited, "the gateway ready", CancellationToken.None, Bound);
            Assert.False(gateway.HasExited, gateway.ReadOutput());
            Assert.Contains($"Max open files            {OpenFileLimit}", await File.ReadAllTextAsync($"/proc/{gateway.Id}/limits"), StringComparison.Ordinal);

            // Fill the cap. Each connection is retried until it echoes: the host may still be Unknown to the health
            // check at first, and a refused attempt holds no slot once its close is processed.
            for (var i = 0; i < Cap; i++)
            {
                Socket? served = null;
                await Eventually.TrueAsync(
                    async () => (served = await TryEchoAsync(gatewayPort, (byte)i)) is not null || gateway.HasExited,
                    () => $"connection {i + 1} echoed; {gateway.ReadOutput()}",
                    CancellationToken.None,
                    Bound);
                Assert.False(gateway.HasExited, gateway.ReadOutput());
                held.Add(served!);
            }

            // One more is over the cap: reset, counted, logged; the process and its health endpoint are fine.
            Assert.True(await IsRefusedAsync(gatewayPort), $"connection {Cap + 1} was served over the cap; " + gateway.ReadOutput());

            await Eventually.TrueAsync(async () => Metric(await MetricsAsync(admin), "gateway_full") > 0, "gateway_full counted", CancellationToken.None, Bound);
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, "/healthz"));
            var descriptors = Directory.GetFileSystemEntries($"/proc/{gateway.Id}/fd").Length;
            Assert.True(descriptors < OpenFileLimit, $"{descriptors} descriptors at the cap");
            var metrics = await MetricsAsync(admin);
            Assert.Equal(0, Metric(metrics, "gateway_out_of_descriptors"));
            Assert.True(
                await Eventually.HoldsAsync(() => gateway.ReadOutput().Contains($"The gateway is at its connection cap ({Cap})", StringComparison.Ordinal), Bound, CancellationToken.None),
                gateway.ReadOutput());

            // Every held connection is still served while the gateway is full.
            for (var i = 0; i < held.Count; i += 33)
            {
                Assert.True(await EchoesAsync(held[i], 0x5a), $"held connection {i} no longer echoes; {gateway.ReadOutput()}");
            }

            foreach (var socket in held)
            {
                socket.Dispose();
            }

            held.Clear();
            var ok = Metric(metrics, "ok");
            Socket? again = null;
            await Eventually.TrueAsync(async () => (again = await TryEchoAsync(gatewayPort, 7)) is not null, "a new connection served after closing the held ones", CancellationToken.None, Bound);
            again!.Dispose();
            await Eventually.TrueAsync(async () => Metric(await MetricsAsync(admin), "ok") > ok, "closed connections counted ok", CancellationToken.None, Bound);
            Assert.False(gateway.HasExited, gateway.ReadOutput());
        }
        finally
        {
            foreach (var socket in held)
            {
                socket.Dispose();
            }
        }
    }

    internal static async Task<Socket> TcpConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), limit.Token);
        return socket;
    }

    /// <summary>A connected socket whose byte came back, or null (refused, reset, closed: not served).</summary>
    internal static async Task<Socket?> TryEchoAsync(int port, byte value)
    {
        Socket socket;
        try
        {
            socket = await TcpConnectAsync(port);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return null;
        }

        if (await EchoesAsync(socket, value))
        {
            return socket;
        }

        socket.Dispose();
        return null;
    }

    internal static async Task<bool> EchoesAsync(Socket socket, byte value)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.SendAsync(new[] { value }, SocketFlags.None, limit.Token);
            var reply = new byte[1];
            return await socket.ReceiveAsync(reply, SocketFlags.None, limit.Token) == 1 && reply[0] == value;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when the gateway ends a new connection without serving it: a reset (seen by the connect itself when it
    /// comes fast, else by the send or the receive) or a close before any byte.
    /// </summary>
    private static async Task<bool> IsRefusedAsync(int port)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            using var socket = await TcpConnectAsync(port);
            await socket.SendAsync(OneByte, SocketFlags.None, limit.Token);
            return await socket.ReceiveAsync(new byte[1], SocketFlags.None, limit.Token) == 0;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false; // neither served nor refused: held, which the cap must never do
        }
    }

    internal static async Task<HttpStatusCode?> StatusAsync(Uri admin, string path)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(admin, path));
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    internal static async Task<string> MetricsAsync(Uri admin)
    {
        try
        {
            return await Http.GetStringAsync(new Uri(admin, "/metrics"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return "";
        }
    }

    /// <summary>The sum of <c>gateway_connections_total</c> samples with result <paramref name="result"/>.</summary>
    private static double Metric(string metrics, string result)
    {
        var total = 0.0;
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith("gateway_connections_total{", StringComparison.Ordinal) && line.Contains($"result=\"{result}\"", StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    /// <summary>A loopback echo host: every connection gets back what it sends, until either side closes.</summary>
    internal sealed class EchoHost : IAsyncDisposable
    {
        private readonly Socket _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Socket> _accepted = [];
        private readonly Task _accepting;

        private EchoHost(Socket listener)
        {
            _listener = listener;
            _accepting = AcceptAsync();
        }

        public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

        public static EchoHost Start(IPEndPoint endPoint)
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(endPoint);
            listener.Listen(512);
            return new EchoHost(listener);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Dispose();
            await _accepting;
            lock (_accepted)
            {
                foreach (var socket in _accepted)
                {
                    socket.Dispose();
                }
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptAsync(_stop.Token);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
                {
                    return;
                }

                lock (_accepted)
                {
                    _accepted.Add(socket);
                }

                _ = EchoAsync(socket);
            }
        }

        private async Task EchoAsync(Socket socket)
        {
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The gateway or the test closed it.
            }
            finally
            {
                socket.Dispose();
            }
        }
    }
}
