using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.EndToEndTests.Standalone;

/// <summary>
/// Web desktops end to end: two Xvnc hosts each behind Debian's websockify (serving noVNC), an Http pool in a
/// standalone gateway, and a WebSocket client that speaks RFB through the gateway. The browser's cookie brings a
/// reconnect back to the same host.
/// </summary>
public sealed class NoVncGatewayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [ToolFact("Xvnc", "websockify", "setsid")]
    public async Task NoVnc_PageAndRfbOverWebSocket_ThroughTheGateway_ReconnectKeepsTheHost()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var a = await XvncHost.StartAsync(new XvncHostOptions("web-a", LoopbackPorts.Address(61)), cts.Token);
        await using var b = await XvncHost.StartAsync(new XvncHostOptions("web-b", LoopbackPorts.Address(62), a.Endpoint.Port), cts.Token);
        using var folders = new GatewayFolders("novnc");
        var webPort = LoopbackPorts.GetFreePort(LoopbackPorts.Address(61));
        await using var wsA = StartWebsockify("websockify-a", a, webPort, folders.Root);
        await using var wsB = StartWebsockify("websockify-b", b, webPort, folders.Root);
        await Eventually.TrueAsync(
            async () => await PortProbe.IsOpenAsync(new IPEndPoint(LoopbackPorts.Address(61), webPort), cts.Token)
                && await PortProbe.IsOpenAsync(new IPEndPoint(LoopbackPorts.Address(62), webPort), cts.Token),
            "websockify listens", cts.Token);
        File.WriteAllText(Path.Combine(folders.Manifests, "novnc.yaml"), Manifest(webPort));
        await using var gateway = await StandaloneGateway.StartAsync(folders.Options("gateway"), cts.Token);

        var jar = new CookieContainer();
        using (var browser = new HttpClient(new SocketsHttpHandler { CookieContainer = jar }) { BaseAddress = gateway.AdminUri, Timeout = Bound })
        {
            var page = await browser.GetStringAsync(new Uri("novnc/vnc.html", UriKind.Relative), cts.Token);
            Assert.Contains("noVNC", page, StringComparison.Ordinal);
        }

        var first = await RfbGreetingAsync(gateway, jar, cts.Token);
        var host = await RouteHostAsync(gateway, cts.Token);
        var again = await RfbGreetingAsync(gateway, jar, cts.Token);

        Assert.Equal("RFB 003.008\n", first);
        Assert.Equal(first, again);
        Assert.Equal(host, await RouteHostAsync(gateway, cts.Token));
        Assert.Contains(host, new[] { "web-a", "web-b" });
    }

    private static ChildProcess StartWebsockify(string name, XvncHost host, int port, string logs) => ChildProcess.Start(
        name,
        ExternalTools.Require("websockify"),
        ["--web", "/usr/share/novnc", $"{host.Endpoint.Address}:{port.ToString(CultureInfo.InvariantCulture)}", host.Endpoint.ToString()],
        logs);

    /// <summary>Opens noVNC's WebSocket through the gateway, reads the server's RFB version, answers it and reads the security types.</summary>
    private static async Task<string> RfbGreetingAsync(StandaloneGateway gateway, CookieContainer jar, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        socket.Options.Cookies = jar;
        socket.Options.AddSubProtocol("binary");
        await socket.ConnectAsync(new Uri($"ws://{gateway.AdminUri.Authority}/novnc/websockify"), cancellationToken);
        var buffer = new byte[256];
        var version = await ReceiveAsync(socket, buffer, cancellationToken);
        await socket.SendAsync(Encoding.ASCII.GetBytes("RFB 003.008\n"), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        var security = await ReceiveAsync(socket, buffer, cancellationToken);
        // RFB 3.8: number-of-security-types, then the types; VncAuth (2) is what the test hosts offer.
        Assert.True(security.Length > 1 && security[0] > 0 && security.IndexOf((char)2, 1) > 0, $"security types: {string.Join(',', security.Select(c => (int)c))}");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken);
        return version;
    }

    private static async Task<string> ReceiveAsync(ClientWebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var received = await socket.ReceiveAsync(buffer, cancellationToken);
        return Encoding.Latin1.GetString(buffer, 0, received.Count);
    }

    private static async Task<string> RouteHostAsync(StandaloneGateway gateway, CancellationToken cancellationToken)
    {
        var status = await gateway.GetStatusAsync(cancellationToken);
        var hosts = status.GetProperty("pools")[0].GetProperty("hosts").EnumerateArray().Where(h => h.GetProperty("sessions").GetInt32() > 0).ToList();
        var host = Assert.Single(hosts);
        return host.GetProperty("name").GetString()!;
    }

    private static string Manifest(int port) => $"""
        apiVersion: desktop-operator.io/v1alpha1
        kind: DesktopPool
        metadata:
          name: novnc
        spec:
          staticHosts:
            - name: web-a
              address: 127.0.0.61
            - name: web-b
              address: 127.0.0.62
          protocols:
            - name: novnc
              kind: Http
              port: {port.ToString(CultureInfo.InvariantCulture)}
              path: /novnc/
          capacity:
            sessionsPerHost: 2
          affinity:
            key: User
        """;
}
