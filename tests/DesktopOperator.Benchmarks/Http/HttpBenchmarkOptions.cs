using System.Globalization;

namespace DesktopOperator.Benchmarks.Http;

/// <summary>Command-line options of <c>http</c>; every run is bounded by these durations and counts.</summary>
internal sealed record HttpBenchmarkOptions
{
    public const string Usage =
        "usage: http [--rounds N] [--duration SECONDS] [--warm-up SECONDS] [--connections N] [--ws-connections N] [--output FILE]";

    public int Rounds { get; init; } = 3;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Unmeasured load before the scenarios, per scenario kind. 5 s, not 2 s: on this loaded machine a profile of the
    /// gateway (perf, 6 s after a 2 s warm-up) still showed 18 % of its CPU in the tiered JIT's background thread
    /// and most of the HTTP path at Tier0/instrumented code, which a long-running gateway does not pay.
    /// </summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>wrk's connections (two wrk threads share them).</summary>
    public int Connections { get; init; } = 32;

    /// <summary>WebSocket connections of the download and echo scenarios.</summary>
    public int WebSocketConnections { get; init; } = 16;

    public string? Output { get; init; }

    public static HttpBenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new HttpBenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--rounds" => options with { Rounds = Positive(value) },
                "--duration" => options with { Duration = TimeSpan.FromSeconds(Positive(value)) },
                "--warm-up" => options with { WarmUp = TimeSpan.FromSeconds(Positive(value)) },
                "--connections" => options with { Connections = Positive(value) },
                "--ws-connections" => options with { WebSocketConnections = Positive(value) },
                "--output" => options with { Output = value },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
            i++;
        }

        return options;
    }

    private static int Positive(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"not a positive number: {value}");
}
