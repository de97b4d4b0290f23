using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// One <c>iperf3 -c</c> run through a proxy: a single stream (<c>-P 1</c>) for a whole number of seconds, JSON output
/// (<c>-J</c>) read for what the receiver counted, with the proxy process's CPU time from before the client starts to
/// after it exits. Bounded: the client is killed by PID when it overruns its time by 30 s.
/// </summary>
internal static class IperfClient
{
    private const double MiB = 1024 * 1024;

    /// <summary>Upload (client to server), or download with <paramref name="reverse"/> (<c>-R</c>).</summary>
    public static async Task<ThroughputFigures> RunAsync(
        IPEndPoint proxy, int proxyProcessId, TimeSpan duration, bool reverse, CancellationToken cancellationToken)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(duration.TotalSeconds));
        var folder = HostLogs.CreateDirectory("bench-iperf3-client");
        var json = Path.Combine(folder, "iperf3.json");
        List<string> arguments =
        [
            "-c", proxy.Address.ToString(), "-p", proxy.Port.ToString(CultureInfo.InvariantCulture),
            "-P", "1", "-t", seconds.ToString(CultureInfo.InvariantCulture), "--connect-timeout", "5000",
            "-J", "--logfile", json,
        ];
        if (reverse)
        {
            arguments.Add("-R");
        }

        try
        {
            var cpuBefore = ProcessCpu.Read(proxyProcessId);
            var watch = Stopwatch.StartNew();
            await using (var client = ChildProcess.Start("iperf3-client", IperfServer.Executable, arguments, folder))
            {
                if (!await client.WaitForExitAsync(TimeSpan.FromSeconds(seconds + 30), cancellationToken))
                {
                    throw new IOException($"iperf3 -c did not finish within {seconds + 30} s: {HostLogs.Describe(folder)}");
                }
            }

            var elapsed = watch.Elapsed;
            var cpu = ProcessCpu.Between(cpuBefore, ProcessCpu.Read(proxyProcessId));
            var (bytes, bitsPerSecond) = ReadReceived(await File.ReadAllTextAsync(json, cancellationToken));
            return new ThroughputFigures(bitsPerSecond / 8 / MiB, 1, elapsed, 0, bytes, cpu);
        }
        finally
        {
            HostLogs.Remove(folder);
        }
    }

    /// <summary>The receiver's byte count and rate from iperf3's JSON (<c>end.sum_received</c>); with -R the client is the receiver.</summary>
    internal static (long Bytes, double BitsPerSecond) ReadReceived(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new IOException($"iperf3 wrote no JSON result ({e.Message}): {Tail(json)}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                throw new IOException("iperf3: " + error.GetString());
            }

            if (!root.TryGetProperty("end", out var end) || !end.TryGetProperty("sum_received", out var received))
            {
                throw new IOException("iperf3's JSON has no end.sum_received: " + Tail(json));
            }

            return (received.GetProperty("bytes").GetInt64(), received.GetProperty("bits_per_second").GetDouble());
        }
    }

    private static string Tail(string text) => text.Length > 400 ? "..." + text[^400..] : text;
}
