using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using DesktopOperator.Benchmarks.Proxy.Epoll;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// <c>proxy</c>: starts the backend hosts (127.0.0.21 and 127.0.0.22, one port), then each proxy in turn (baseline
/// first) with the same setup, runs the scenarios against it (idle memory first, on a fresh process), stops it by PID,
/// and prints the Markdown comparison (also written to --output).
/// </summary>
internal static class ProxyBenchmarkCommand
{
    private static readonly IPAddress[] BackendAddresses = [IPAddress.Parse("127.0.0.21"), IPAddress.Parse("127.0.0.22")];
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        ProxyBenchmarkOptions options;
        try
        {
            options = ProxyBenchmarkOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message + "\n" + ProxyBenchmarkOptions.Usage);
            return 2;
        }

        // A hard bound on the whole run, whatever a proxy does; iperf3 adds a proxy start and three client runs per round.
        var minutesPerProxyRound = 3 + (options.Iperf ? 1 : 0);
        using var cts = new CancellationTokenSource(
            TimeSpan.FromMinutes(2 + (minutesPerProxyRound * options.Rounds * (options.Candidates.Count + 1)))
            + ((options.IdleHold + options.SteadyAfter) * options.Rounds * (options.Candidates.Count + 1)));
        // Ctrl-C or a SIGTERM (the runner script's timeout) unwinds the run so every process is stopped by PID.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        await using var backend = await BackendProcess.StartAsync(BackendAddresses, cts.Token);
        var setup = new ProxySetup(
            IPAddress.Loopback,
            [.. BackendAddresses.Select((a, i) => new ProxyBackend($"host-{i + 1}", new IPEndPoint(a, backend.Port)))],
            options.Balancing);
        Log($"backends on {string.Join(", ", setup.Backends.Select(b => b.EndPoint))} (pid {backend.ProcessId})");

        // Rounds alternate baseline and candidates; the table shows medians, the raw rounds follow it. Each round starts
        // one proxy further on, so none always runs right after the same one (what a proxy leaves behind, such as the
        // TIME_WAIT sockets of its connection step, may weigh on the next one: proxy-figures.md, Run 14).
        var names = options.Candidates.Prepend(options.Baseline).ToList();
        var rounds = names.ToDictionary(n => n, _ => new List<ProxyFigures>());
        for (var round = 1; round <= options.Rounds; round++)
        {
            var first = (round - 1) % names.Count;
            foreach (var name in names.Skip(first).Concat(names.Take(first)))
            {
                Log($"round {round}/{options.Rounds}: {name}");
                rounds[name].Add(await MeasureAsync(Create(name), setup, options, cts.Token));
            }
        }

        var baseline = ProxyFigures.Median(rounds[options.Baseline]);
        var candidates = options.Candidates.Select(c => ProxyFigures.Median(rounds[c])).ToList();
        var raw = names.SelectMany(n => rounds[n].Select((f, i) => $"- {n}, round {i + 1}: {f.Summary()}" + (f.Iperf is { } iperf ? "; " + iperf.Summary() : string.Empty))).ToList();
        var machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
        var report = MarkdownReport.Render(baseline, candidates, options, machine) + "\nRounds:\n" + string.Join('\n', raw) + "\n";
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

    /// <summary>The shared catalog's proxies, and this harness's own probe: "epoll" (<see cref="EpollRelay"/>).</summary>
    private static IProxyUnderTest Create(string name) =>
        name.Split('-', 2)[0] == "epoll" ? new EpollRelayProxy(name) : ProxyCatalog.Create(name);

    private static async Task<ProxyFigures> MeasureAsync(
        IProxyUnderTest proxyUnderTest, ProxySetup setup, ProxyBenchmarkOptions options, CancellationToken cancellationToken)
    {
        var figures = new ProxyFigures(proxyUnderTest.Name);
        RunningProxy proxy;
        try
        {
            proxy = await proxyUnderTest.StartAsync(setup, cancellationToken);
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or IOException)
        {
            var message = e.Message.ReplaceLineEndings(" ");
            figures.Notes.Add("did not start: " + (message.Length > 600 ? message[..600] + "..." : message));
            Log($"{proxyUnderTest.Name}: did not start: {e.Message}");
            return figures;
        }

        await using (proxy)
        {
            var clients = ClientSockets.Default;
            Log($"{proxy.Name} on {proxy.EndPoint} (pid {proxy.ProcessId})");
            if (options.IdleConnections > 0)
            {
                Log($"{proxy.Name}: idle memory, {options.IdleConnections} connections");
                figures.IdleMemory = await ScenarioAsync(figures, "idle memory", () => IdleMemoryScenario.RunAsync(proxy, clients, options.IdleConnections, Settle, options.IdleHold, cancellationToken));
                Log($"{proxy.Name}: {figures.IdleMemory?.BytesPerConnection / 1024:F2} KiB per idle connection ({figures.IdleMemory?.Connections} held), " +
                    $"{figures.IdleMemory?.MarginalBytesPerConnection / 1024:F2} KiB in the second half");
            }

            if (options.IdleOnly)
            {
                return figures;
            }

            // Warm-up, not measured: a .NET proxy compiles and re-compiles (tiered JIT) its hot paths in its first
            // seconds, which would be charged to the first scenario's CPU time.
            await ScenarioAsync(figures, "warm-up", () => ConnectionRateScenario.RunAsync(proxy.EndPoint, proxy.ProcessId, clients, options.Concurrency, WarmUp, cancellationToken));
            await ScenarioAsync(figures, "warm-up", () => ThroughputScenario.RunAsync(proxy.EndPoint, proxy.ProcessId, clients, options.Streams, WarmUp, download: false, cancellationToken));
            await ScenarioAsync(figures, "warm-up", () => ThroughputScenario.RunAsync(proxy.EndPoint, proxy.ProcessId, clients, options.Streams, WarmUp, download: true, cancellationToken));

            // Closed connections linger briefly in the proxy; give it the settle time before the next scenario, and
            // let a .NET proxy reach its steady state (ProxyBenchmarkOptions.SteadyAfter).
            await Task.Delay(Settle, cancellationToken);
            await WaitUntilAgeAsync(proxy, options.SteadyAfter, cancellationToken);
            figures.Throughput = await ScenarioAsync(figures, "upload", () => ThroughputScenario.RunAsync(proxy.EndPoint, proxy.ProcessId, clients, options.Streams, options.Duration, download: false, cancellationToken));
            Log($"{proxy.Name}: upload {figures.Throughput?.MebibytesPerSecond:F0} MiB/s, CPU {figures.Throughput?.UserSecondsPerGiB:F2} s user, {figures.Throughput?.KernelSecondsPerGiB:F2} s kernel per GiB");
            figures.Download = await ScenarioAsync(figures, "download", () => ThroughputScenario.RunAsync(proxy.EndPoint, proxy.ProcessId, clients, options.Streams, options.Duration, download: true, cancellationToken));
            Log($"{proxy.Name}: download {figures.Download?.MebibytesPerSecond:F0} MiB/s, CPU {figures.Download?.UserSecondsPerGiB:F2} s user, {figures.Download?.KernelSecondsPerGiB:F2} s kernel per GiB");
            figures.ConnectionRate = await ScenarioAsync(figures, "connection rate", () => ConnectionRateScenario.RunAsync(proxy.EndPoint, proxy.ProcessId, clients, options.Concurrency, options.Duration, cancellationToken));
            Log($"{proxy.Name}: {figures.ConnectionRate?.ConnectionsPerSecond:F0} connections/s ({figures.ConnectionRate?.Errors} errors), " +
                $"CPU {figures.ConnectionRate?.UserMicrosecondsPerConnection:F0} us user, {figures.ConnectionRate?.KernelMicrosecondsPerConnection:F0} us kernel per connection");
            figures.Latency = await ScenarioAsync(figures, "latency", () => LatencyScenario.RunAsync(proxy.EndPoint, proxy.ProcessId, clients, options.LatencyConnections, options.RoundTrips, TimeSpan.FromSeconds(60), cancellationToken));
            Log($"{proxy.Name}: p50 {figures.Latency?.P50Microseconds:F1} us, p99 {figures.Latency?.P99Microseconds:F1} us, " +
                $"CPU {figures.Latency?.UserMicrosecondsPerRoundTrip:F1} us user, {figures.Latency?.KernelMicrosecondsPerRoundTrip:F1} us kernel per round trip");
            if (!proxy.IsRunning)
            {
                figures.Notes.Add("the proxy process exited during the run: " + proxy.Describe().Split('\n')[0]);
            }
        }

        if (options.Iperf)
        {
            Log($"{proxyUnderTest.Name}: iperf3, one stream up and one down, through a fresh instance");
            figures.Iperf = await ScenarioAsync(figures, "iperf3", () => IperfScenario.RunAsync(proxyUnderTest, setup.Balancing, options.Duration, WarmUp, cancellationToken));
            Log($"{proxyUnderTest.Name}: {figures.Iperf?.Summary()}");
        }

        return figures;
    }

    private static async Task WaitUntilAgeAsync(RunningProxy proxy, TimeSpan age, CancellationToken cancellationToken)
    {
        TimeSpan left;
        try
        {
            using var process = Process.GetProcessById(proxy.ProcessId);
            left = age - (DateTime.Now - process.StartTime);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return; // exited: the steps that follow fail and say so
        }

        if (left > TimeSpan.Zero)
        {
            Log($"{proxy.Name}: measuring from {age.TotalSeconds:F0} s after its start, in {left.TotalSeconds:F0} s");
            await Task.Delay(left, cancellationToken);
        }
    }

    private static async Task<T?> ScenarioAsync<T>(ProxyFigures figures, string name, Func<Task<T>> run)
        where T : class
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            figures.Notes.Add($"{name} failed: {e.GetType().Name}: {e.Message}");
            Log($"{figures.Proxy}: {name} failed: {e}");
            return null;
        }
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
