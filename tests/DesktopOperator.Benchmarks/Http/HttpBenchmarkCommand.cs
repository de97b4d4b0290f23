using System.Net;
using System.Runtime.InteropServices;
using DesktopOperator.Benchmarks.Proxy;

namespace DesktopOperator.Benchmarks.Http;

/// <summary>
/// <c>http</c>: our gateway's Http pool against nginx as a reverse proxy, same hosts (127.0.0.21 and 127.0.0.22: an
/// nginx serving a 4 KiB static page, and <see cref="WebSocketUpstream"/>), same balancing. Rounds alternate the two
/// proxies, each a fresh process: an unmeasured warm-up, then HTTP requests/s with wrk (keep-alive, then
/// <c>Connection: close</c>), WebSocket download MiB/s and small-message echo round trips/s, each with the proxy's CPU
/// time per unit. Prints the Markdown comparison (medians; also written to --output).
/// </summary>
internal static class HttpBenchmarkCommand
{
    private const string Baseline = "nginx";
    private const string Candidate = "gateway";
    private static readonly IPAddress[] Hosts = [IPAddress.Parse("127.0.0.21"), IPAddress.Parse("127.0.0.22")];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        HttpBenchmarkOptions options;
        try
        {
            options = HttpBenchmarkOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message + "\n" + HttpBenchmarkOptions.Usage);
            return 2;
        }

        // A hard bound on the whole run, whatever a proxy does.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2) + (2 * options.Rounds * ((4 * (options.Duration + options.WarmUp)) + TimeSpan.FromSeconds(60))));
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await using var staticHosts = await HttpProxies.StartStaticUpstreamAsync(Hosts, cts.Token);
        await using var webSocketHosts = await BackendProcess.StartAsync(WebSocketUpstream.Command, Hosts, cts.Token);
        var proxies = new HttpProxies(Hosts, staticHosts.BaseUri.Port, webSocketHosts.Port);
        Log($"static page on {staticHosts.BaseUri} (pid {staticHosts.ProcessId}), WebSocket hosts on port {webSocketHosts.Port} (pid {webSocketHosts.ProcessId})");

        var rounds = new Dictionary<string, List<HttpFigures>> { [Baseline] = [], [Candidate] = [] };
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var name in rounds.Keys)
            {
                Log($"round {round}/{options.Rounds}: {name}");
                rounds[name].Add(await MeasureAsync(proxies, name, options, cts.Token));
                Log($"{name}: {rounds[name][^1].Summary()}");
            }
        }

        var machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
        var report = HttpFigures.Render(HttpFigures.Median(rounds[Baseline]), HttpFigures.Median(rounds[Candidate]))
            + $"\nMedians over {options.Rounds} round(s) of {options.Duration.TotalSeconds:F0} s per scenario, proxies alternating, after {options.WarmUp.TotalSeconds:F0} s of unmeasured warm-up per scenario. "
            + $"wrk: 2 threads, {options.Connections} connections; WebSocket: {options.WebSocketConnections} connections "
            + $"(download: 64 KiB messages; echo: {WebSocketUpstream.EchoMessageBytes} B, one in flight per connection). Machine: {machine}.\n"
            + "\nRounds:\n" + string.Join('\n', rounds.SelectMany(r => r.Value.Select((f, i) => $"- {r.Key}, round {i + 1}: {f.Summary()}"))) + "\n";
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.Output is { } output)
        {
            await File.WriteAllTextAsync(output, report, cts.Token);
            Log($"written to {output}");
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cts.Cancel();
        }
    }

    private static async Task<HttpFigures> MeasureAsync(HttpProxies proxies, string name, HttpBenchmarkOptions options, CancellationToken cancellationToken)
    {
        var figures = new HttpFigures(name);
        RunningHttpProxy proxy;
        try
        {
            proxy = await proxies.StartAsync(name, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or IOException)
        {
            figures.Notes.Add("did not start: " + e.Message.ReplaceLineEndings(" "));
            Log($"{name}: did not start: {e.Message}");
            return figures;
        }

        await using (proxy)
        {
            var page = new Uri(proxy.BaseUri, "static/" + NginxConfig.StaticFile);
            var webSockets = new UriBuilder(proxy.BaseUri) { Scheme = "ws", Path = "/ws/" }.Uri;
            var pid = proxy.ProcessId;
            // Warm-up, not measured: a .NET proxy compiles its hot paths (tiered JIT) in its first seconds. Every
            // scenario's path: keep-alive and new connections, WebSocket small messages and bulk.
            var warmUp = options.WarmUp;
            await ScenarioAsync(figures, "warm-up", () => Wrk.RunAsync(page, options.Connections, warmUp, close: false, pid, cancellationToken));
            await ScenarioAsync(figures, "warm-up", () => Wrk.RunAsync(page, options.Connections, warmUp, close: true, pid, cancellationToken));
            await ScenarioAsync(figures, "warm-up", () => WebSocketLoad.EchoAsync(webSockets, options.WebSocketConnections, warmUp, pid, cancellationToken));
            await ScenarioAsync(figures, "warm-up", () => WebSocketLoad.DownloadAsync(webSockets, options.WebSocketConnections, warmUp, pid, cancellationToken));

            figures.AddRate("HTTP keep-alive", "request", await ScenarioAsync(figures, "keep-alive", () => Wrk.RunAsync(page, options.Connections, options.Duration, close: false, pid, cancellationToken)));
            figures.AddRate("HTTP Connection: close", "request", await ScenarioAsync(figures, "close", () => Wrk.RunAsync(page, options.Connections, options.Duration, close: true, pid, cancellationToken)));
            figures.AddThroughput("WebSocket download, 64 KiB messages", await ScenarioAsync(figures, "download", () => WebSocketLoad.DownloadAsync(webSockets, options.WebSocketConnections, options.Duration, pid, cancellationToken)));
            figures.AddRate($"WebSocket echo, {WebSocketUpstream.EchoMessageBytes} B", "message", await ScenarioAsync(figures, "echo", () => WebSocketLoad.EchoAsync(webSockets, options.WebSocketConnections, options.Duration, pid, cancellationToken)));
        }

        return figures;
    }

    private static async Task<ScenarioResult?> ScenarioAsync(HttpFigures figures, string name, Func<Task<ScenarioResult>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or System.Net.Sockets.SocketException or OperationCanceledException or IOException or HttpRequestException)
        {
            figures.Notes.Add($"{name} failed: {e.GetType().Name}: {e.Message}");
            Log($"{figures.Proxy}: {name} failed: {e}");
            return null;
        }
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
