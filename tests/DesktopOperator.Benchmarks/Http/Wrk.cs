using System.Globalization;
using System.Text.RegularExpressions;
using DesktopOperator.Benchmarks.Proxy;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Benchmarks.Http;

/// <summary>
/// HTTP requests per second with wrk (Debian's 4.1): two threads, a fixed number of connections, keep-alive or a
/// <c>Connection: close</c> on every request (a new connection each time). Reads the proxy's CPU time around the run.
/// </summary>
internal static partial class Wrk
{
    public static async Task<ScenarioResult> RunAsync(
        Uri url, int connections, TimeSpan duration, bool close, int proxyPid, CancellationToken cancellationToken)
    {
        var arguments = new List<string>
        {
            "-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture),
            "-d", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
        };
        if (close)
        {
            arguments.AddRange(["-H", "Connection: close"]);
        }

        arguments.Add(url.ToString());
        var before = ProcessCpu.Read(proxyPid);
        var result = await ProcessRunner.RunAsync(
            ExternalTools.Require("wrk"), arguments, duration + TimeSpan.FromSeconds(30), cancellationToken);
        var cpu = ProcessCpu.Between(before, ProcessCpu.Read(proxyPid));
        if (!result.Succeeded || Requests().Match(result.Stdout) is not { Success: true } requests)
        {
            throw new IOException("wrk failed: " + result);
        }

        var elapsed = ParseDuration(requests.Groups["time"].Value);
        var errors = (SocketErrors().Match(result.Stdout) is { Success: true } socket
                ? socket.Groups["n"].Captures.Sum(c => long.Parse(c.Value, CultureInfo.InvariantCulture))
                : 0)
            + (Non2xx().Match(result.Stdout) is { Success: true } bad ? long.Parse(bad.Groups["n"].Value, CultureInfo.InvariantCulture) : 0);
        return new ScenarioResult(
            double.Parse(requests.Groups["count"].Value, CultureInfo.InvariantCulture), 0, elapsed, errors, cpu);
    }

    // "  123456 requests in 5.01s, 12.34MB read"
    [GeneratedRegex(@"(?<count>\d+) requests in (?<time>[\d.]+(?:us|ms|s|m))")]
    private static partial Regex Requests();

    // "  Socket errors: connect 0, read 12, write 0, timeout 3"
    [GeneratedRegex(@"Socket errors: connect (?<n>\d+), read (?<n>\d+), write (?<n>\d+), timeout (?<n>\d+)")]
    private static partial Regex SocketErrors();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (?<n>\d+)")]
    private static partial Regex Non2xx();

    private static TimeSpan ParseDuration(string text)
    {
        var unit = text.TrimStart("0123456789.".ToCharArray());
        var value = double.Parse(text[..^unit.Length], CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            "m" => TimeSpan.FromMinutes(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }
}
