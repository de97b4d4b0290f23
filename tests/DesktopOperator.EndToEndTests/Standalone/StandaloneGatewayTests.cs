using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Desktops.Clients;
using DesktopOperator.Testing.Monitoring;
using DesktopOperator.Testing.Net;
using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Proxies;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.EndToEndTests.Standalone;

/// <summary>
/// What only standalone mode promises, with real Xvnc hosts and our RFB client: routes survive a restart, manifest
/// changes apply without dropping live connections, a bad file is reported and skipped, garbage is refused and
/// counted, and /metrics passes promtool.
/// </summary>
public sealed class StandaloneGatewayTests
{
    private const string Pool = "default/" + GatewayProxy.PoolName;
    private const string Password = XvncHostOptions.DefaultPassword;
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan ConfigTimeout = TimeSpan.FromSeconds(20);

    /// <summary>A client's own source address, away from the hosts' and the proxied tests' addresses.</summary>
    private static IPAddress Client(int n) => LoopbackPorts.Address(200 + n);

    [ToolFact("Xvnc", "setsid")]
    public async Task Restart_SameStateFolder_ReturningClientKeepsItsHost()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var a = await XvncHost.StartAsync(new XvncHostOptions("vnc-r1", LoopbackPorts.Address(51)), cts.Token);
        await using var b = await XvncHost.StartAsync(new XvncHostOptions("vnc-r2", LoopbackPorts.Address(52), a.Endpoint.Port), cts.Token);
        using var folders = new GatewayFolders("standalone-restart");
        var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        folders.WritePool(GatewayProxy.ManifestFile, Setup(ProxyBalancing.LeastConnections, a, b), port);
        var gatewayPort = new IPEndPoint(IPAddress.Loopback, port);

        string first;
        await using (var gateway = await StandaloneGateway.StartAsync(folders.Options("gateway-1"), cts.Token))
        {
            // A session still open at SIGTERM: the gateway lets it go on for --drain-time (1s), then closes it and
            // exits cleanly (exit code 0), well within the 10 s grace before a kill.
            await using var held = await RfbClient.ConnectAsync(gatewayPort, ClientTimeout, cts.Token, Client(0), Password);
            first = held.ServerInit.DesktopName;
            Assert.True(
                await Eventually.HoldsAsync(() => RouteHosts(folders.State).Contains(first), ConfigTimeout, cts.Token),
                gateway.Describe());
            Assert.True(await gateway.StopAsync(TimeSpan.FromSeconds(10)) == 0, gateway.Describe());
            await Assert.ThrowsAsync<EndOfStreamException>(() => held.RequestFrameAsync(cts.Token));
        }

        // Readable JSON naming the pool, the client's address and its host.
        var route = Assert.Single(RouteFiles(folders.State));
        Assert.Equal(Pool, route.GetProperty("pool").GetString());
        Assert.Equal(Client(0).ToString(), route.GetProperty("key").GetString());
        Assert.Equal(first, route.GetProperty("host").GetString());

        await using (var gateway = await StandaloneGateway.StartAsync(folders.Options("gateway-2"), cts.Token))
        {
            // LeastSessions would send a stranger to the other, emptier host: landing on `first` is the route's doing.
            var again = (await RfbClient.ReadServerInitAsync(gatewayPort, ClientTimeout, cts.Token, Client(0), Password)).DesktopName;
            var stranger = (await RfbClient.ReadServerInitAsync(gatewayPort, ClientTimeout, cts.Token, Client(1), Password)).DesktopName;

            Assert.Equal(first, again);
            Assert.NotEqual(first, stranger);
        }
    }

    [ToolFact("Xvnc", "setsid")]
    public async Task Reload_HostAddedWhileSessionLive_NewHostServesAndLiveSessionAnswers()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var a = await XvncHost.StartAsync(new XvncHostOptions("vnc-l1", LoopbackPorts.Address(53)), cts.Token);
        await using var b = await XvncHost.StartAsync(new XvncHostOptions("vnc-l2", LoopbackPorts.Address(54), a.Endpoint.Port), cts.Token);
        await using var c = await XvncHost.StartAsync(new XvncHostOptions("vnc-l3", LoopbackPorts.Address(55), a.Endpoint.Port), cts.Token);
        using var folders = new GatewayFolders("standalone-reload");
        var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        folders.WritePool(GatewayProxy.ManifestFile, Setup(ProxyBalancing.LeastConnections, a, b), port);
        var gatewayPort = new IPEndPoint(IPAddress.Loopback, port);
        await using var gateway = await StandaloneGateway.StartAsync(folders.Options("gateway"), cts.Token);
        await using var live = await RfbClient.ConnectAsync(gatewayPort, ClientTimeout, cts.Token, Client(10), Password);

        folders.WritePool(GatewayProxy.ManifestFile, Setup(ProxyBalancing.LeastConnections, a, b, c), port);
        Assert.True(
            await WaitForStatusAsync(gateway, s => HostNames(s).Contains("vnc-l3"), cts.Token),
            gateway.Describe());

        // The live session's host holds one session; the two others get the next two clients, one each.
        var next = new List<string>();
        for (var i = 11; i < 13; i++)
        {
            next.Add((await RfbClient.ReadServerInitAsync(gatewayPort, ClientTimeout, cts.Token, Client(i), Password)).DesktopName);
        }

        await live.RequestFrameAsync(cts.Token);
        Assert.Contains("vnc-l3", next);
        Assert.DoesNotContain(live.ServerInit.DesktopName, next);
        Assert.Equal(2, next.Distinct().Count());
    }

    [ToolFact("Xvnc", "setsid")]
    public async Task BadManifest_AddedBesideGoodOne_ReportedAsFileFieldWhyAndGoodPoolServes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var a = await XvncHost.StartAsync(new XvncHostOptions("vnc-m1", LoopbackPorts.Address(56)), cts.Token);
        await using var b = await XvncHost.StartAsync(new XvncHostOptions("vnc-m2", LoopbackPorts.Address(57), a.Endpoint.Port), cts.Token);
        using var folders = new GatewayFolders("standalone-bad");
        var port = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        folders.WritePool(GatewayProxy.ManifestFile, Setup(ProxyBalancing.RoundRobin, a, b), port);
        await using var gateway = await StandaloneGateway.StartAsync(folders.Options("gateway"), cts.Token);

        // An upper-case host name breaks the DNS-label rule; the file is otherwise a DesktopPool.
        var bad = GatewayManifests.DesktopPool("broken", Setup(ProxyBalancing.RoundRobin, a, b), LoopbackPorts.GetFreePort(IPAddress.Loopback))
            .Replace("name: vnc-m1", "name: Not_A_Label", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folders.Manifests, "broken.yaml"), bad);

        const string Expected = "broken.yaml: spec.staticHosts[0].name: ";
        Assert.True(
            await WaitForStatusAsync(gateway, s => Problems(s).Any(p => p.Contains(Expected, StringComparison.Ordinal)), cts.Token),
            gateway.Describe());
        // The log file is written by the process's output capture, which may trail the status API.
        await Eventually.WaitAsync(
            () => ReadLogs(gateway).Contains(Expected, StringComparison.Ordinal), () => "the log names the file, field and why: " + ReadLogs(gateway));
        var status = await gateway.GetStatusAsync(cts.Token);
        Assert.Equal([Pool], status.GetProperty("pools").EnumerateArray().Select(p => p.GetProperty("pool").GetString()));
        var served = await RfbClient.ReadServerInitAsync(new IPEndPoint(IPAddress.Loopback, port), ClientTimeout, cts.Token, Client(20), Password);
        Assert.StartsWith("vnc-m", served.DesktopName, StringComparison.Ordinal);
    }

    [ToolFact("Xvnc", "setsid", "promtool")]
    public async Task Garbage_RandomBytesAndSilenceOnRdpPort_ClosedCountedAndVncStillServesWithValidMetrics()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var a = await XvncHost.StartAsync(new XvncHostOptions("vnc-g1", LoopbackPorts.Address(58)), cts.Token);
        await using var b = await XvncHost.StartAsync(new XvncHostOptions("vnc-g2", LoopbackPorts.Address(59), a.Endpoint.Port), cts.Token);
        using var folders = new GatewayFolders("standalone-garbage");
        var vncPort = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        var rdpPort = LoopbackPorts.GetFreePort(IPAddress.Loopback);
        folders.WritePool(GatewayProxy.ManifestFile, Setup(ProxyBalancing.RoundRobin, a, b), vncPort);
        // The RDP pool's hosts are the Xvnc addresses on a port nothing serves: garbage must never reach a host.
        var rdpSetup = Setup(ProxyBalancing.RdpUser, a, b) with { ProtocolKind = "Rdp" };
        File.WriteAllText(Path.Combine(folders.Manifests, "rdp.yaml"), GatewayManifests.DesktopPool("rdp", rdpSetup, rdpPort));
        var options = folders.Options("gateway") with { ExtraArguments = ["--handshake-timeout", "1s"] };
        await using var gateway = await StandaloneGateway.StartAsync(options, cts.Token);
        var rdp = new IPEndPoint(IPAddress.Loopback, rdpPort);

        var random = new Random(20261122);
        for (var i = 0; i < 5; i++)
        {
            var garbage = new byte[random.Next(1, 2048)];
            random.NextBytes(garbage);
            // A first byte other than TPKT's version 3 cannot be a Connection Request.
            garbage[0] = (byte)(garbage[0] == 3 ? 4 : garbage[0]);
            Assert.True(await SendAndExpectCloseAsync(rdp, garbage, cts.Token), $"garbage {i} was not closed\n{gateway.Describe()}");
        }

        Assert.True(await SendAndExpectCloseAsync(rdp, [], cts.Token), "a silent client was not closed\n" + gateway.Describe());

        var names = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            names.Add((await RfbClient.ReadServerInitAsync(new IPEndPoint(IPAddress.Loopback, vncPort), ClientTimeout, cts.Token, Client(30 + i), Password)).DesktopName);
        }

        Assert.Equal(["vnc-g1", "vnc-g2"], names.Order());
        var metrics = await gateway.GetTextAsync("/metrics", cts.Token);
        Assert.Contains(MetricLines(metrics, "gateway_connections_total"), l => l.Contains("protocol=\"rdp\"", StringComparison.Ordinal) && !l.Contains("result=\"ok\"", StringComparison.Ordinal));
        Assert.Contains(MetricLines(metrics, "gateway_handshake_rejects_total"), l => !l.EndsWith(" 0", StringComparison.Ordinal));
        Assert.Contains(MetricLines(metrics, "gateway_bytes_total"), l => !l.EndsWith(" 0", StringComparison.Ordinal));

        var check = await ProcessRunner.RunAsync(ExternalTools.Require("promtool"), ["check", "metrics"], TimeSpan.FromSeconds(20), cts.Token, standardInput: metrics);
        Assert.True(check.ExitCode == 0, check + "\n" + metrics);

        // Every gateway metric the alert rules and the dashboard use is one this gateway exports.
        var used = MonitoringFiles.RuleExpressions().Concat(MonitoringFiles.DashboardExpressions())
            .SelectMany(e => MonitoringFiles.MetricNames(e.Item2)).Where(n => n.StartsWith("gateway_", StringComparison.Ordinal)).ToHashSet();
        Assert.NotEmpty(used);
        Assert.Empty(used.Except(MonitoringFiles.ExportedFamilies(metrics)));
    }

    private static ProxySetup Setup(ProxyBalancing balancing, params XvncHost[] hosts) =>
        new(IPAddress.Loopback, [.. hosts.Select(h => new ProxyBackend(h.DesktopName, h.Endpoint))], balancing)
        {
            ProtocolKind = "Vnc",
            VncPasswordFile = hosts[0].PasswordFile,
        };

    private static async Task<bool> SendAndExpectCloseAsync(IPEndPoint endpoint, byte[] payload, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint, cancellationToken);
        if (payload.Length > 0)
        {
            await socket.SendAsync(payload, SocketFlags.None, cancellationToken);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(10));
        var buffer = new byte[4096];
        try
        {
            // Anything the gateway answers (a refusal) is fine; the connection must end.
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<bool> WaitForStatusAsync(StandaloneGateway gateway, Func<JsonElement, bool> condition, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(ConfigTimeout);
        try
        {
            while (!condition(await gateway.GetStatusAsync(limit.Token)))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static List<string> HostNames(JsonElement status) =>
        [.. status.GetProperty("pools").EnumerateArray().SelectMany(p => p.GetProperty("hosts").EnumerateArray()).Select(h => h.GetProperty("name").GetString()!)];

    private static List<string> Problems(JsonElement status) =>
        [.. status.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!)];

    private static List<JsonElement> RouteFiles(string state) =>
        [.. Directory.EnumerateFiles(state, "*.json").Select(f =>
        {
            using var document = JsonDocument.Parse(File.ReadAllText(f));
            return document.RootElement.Clone();
        })];

    private static List<string?> RouteHosts(string state) => [.. RouteFiles(state).Select(r => r.GetProperty("host").GetString())];

    private static IEnumerable<string> MetricLines(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal));

    private static string ReadLogs(StandaloneGateway gateway) => HostLogs.Describe(gateway.Directory);
}
