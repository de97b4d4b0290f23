using System.Globalization;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>Command-line options of <c>proxy</c>; every run is bounded by these durations and counts.</summary>
internal sealed record ProxyBenchmarkOptions
{
    public string Baseline { get; init; } = "haproxy";

    public IReadOnlyList<string> Candidates { get; init; } = ["haproxy-b"];

    public ProxyBalancing Balancing { get; init; } = ProxyBalancing.LeastConnections;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public int Streams { get; init; } = 8;

    public int Concurrency { get; init; } = 16;

    public int LatencyConnections { get; init; } = 32;

    public int RoundTrips { get; init; } = 20_000;

    /// <summary>
    /// 9,500 rather than 10,000: each proxied connection costs the proxy two descriptors and the open-file limit here
    /// is 20,000 per process (hard), so 10,000 cannot be held by any proxy on this machine. 0 skips the scenario.
    /// </summary>
    public int IdleConnections { get; init; } = 9_500;

    /// <summary>Only the idle-memory scenario (quick A/B of memory levers); the other rows stay empty.</summary>
    public bool IdleOnly { get; init; }

    /// <summary>
    /// How long the idle connections stay open after the measurement, so a heap snapshot of the proxy can be taken
    /// (<c>dotnet-gcdump collect -p PID</c>); 0 closes them at once.
    /// </summary>
    public TimeSpan IdleHold { get; init; } = TimeSpan.Zero;

    public string? Output { get; init; }

    public int Rounds { get; init; } = 1;

    /// <summary>
    /// The measured steps start once the proxy process has run this long (warm-ups first, then a wait if need be). A
    /// .NET process compiles its methods again, optimized, after their 30th call: the connection path within the
    /// warm-up, but its once-a-second housekeeping (timers, health checks, Kestrel's heartbeat) about 30 s after start,
    /// a few hundred methods that would otherwise be charged to the step running then. A proxy in service does that once
    /// in its first minute; the benchmark measures the steady state after it. 0: no wait.
    /// </summary>
    public TimeSpan SteadyAfter { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Whether to run <see cref="IperfScenario"/> (iperf3 single stream up and down); --iperf 0 skips it.</summary>
    public bool Iperf { get; init; } = true;

    public static ProxyBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ProxyBenchmarkOptions();
        var candidates = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            i++;
            options = args[i - 1] switch
            {
                "--baseline" => options with { Baseline = value },
                "--candidate" => Add(options, candidates, value),
                "--balancing" => options with { Balancing = ParseBalancing(value) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Number(value)) },
                "--streams" => options with { Streams = Number(value) },
                "--concurrency" => options with { Concurrency = Number(value) },
                "--latency-connections" => options with { LatencyConnections = Number(value) },
                "--round-trips" => options with { RoundTrips = Number(value) },
                "--idle" => options with { IdleConnections = Number(value) },
                "--idle-only" => options with { IdleOnly = Flag(value) },
                "--idle-hold" => options with { IdleHold = TimeSpan.FromSeconds(Number(value)) },
                "--output" => options with { Output = value },
                "--rounds" => options with { Rounds = Math.Max(1, Number(value)) },
                "--iperf" => options with { Iperf = Number(value) != 0 },
                "--steady-after" => options with { SteadyAfter = TimeSpan.FromSeconds(Number(value)) },
                _ => throw new ArgumentException($"unknown option {args[i - 1]}"),
            };
        }

        var names = options.Candidates.Prepend(options.Baseline).ToList();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException("proxy names must differ: name a second instance with a suffix, e.g. haproxy-b");
        }

        return options;
    }

    public static string Usage =>
        "proxy [--baseline haproxy] [--candidate gateway|haproxy-b|socat|epoll]... [--balancing leastconn|source|roundrobin]\n" +
        "      [--duration SECONDS] [--streams N] [--concurrency N] [--latency-connections N] [--round-trips N]\n" +
        "      [--idle N (0: skip)] [--idle-only true|false] [--idle-hold SECONDS] [--rounds N] [--output FILE.md]\n" +
        "      [--iperf 1|0 (0: skip iperf3 single stream up/down)] [--steady-after SECONDS (measure once the proxy is this old; default 40)]";

    private static ProxyBenchmarkOptions Add(ProxyBenchmarkOptions options, List<string> candidates, string value)
    {
        candidates.Add(value);
        return options with { Candidates = [.. candidates] };
    }

    private static int Number(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"'{value}' is not a whole number of 0 or more");

    private static bool Flag(string value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => throw new ArgumentException($"expected true or false, not {value}"),
    };

    private static ProxyBalancing ParseBalancing(string value) => value switch
    {
        "leastconn" => ProxyBalancing.LeastConnections,
        "source" => ProxyBalancing.SourceHash,
        "roundrobin" => ProxyBalancing.RoundRobin,
        _ => throw new ArgumentException($"unknown balancing {value}"),
    };
}
