using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// Round-trip latency of small messages over long-lived connections (the interactive desktop case): each connection
/// sends 64 bytes and waits for the echo, again and again; p50/p99 over all round trips after a warm-up.
/// </summary>
internal static class LatencyScenario
{
    private const int MessageSize = 64;
    private const int WarmUp = 500;

    public static async Task<LatencyFigures> RunAsync(
        IPEndPoint proxy, int proxyProcessId, ClientSockets clients, int connections, int roundTrips, TimeSpan maxDuration, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(maxDuration);
        var counted = new RoundTripCount();
        var cpuBefore = ProcessCpu.Read(proxyProcessId);
        var samples = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => ConnectionAsync(proxy, clients, roundTrips, counted, limit.Token)));
        var cpu = ProcessCpu.Between(cpuBefore, ProcessCpu.Read(proxyProcessId));
        var all = samples.SelectMany(s => s).ToArray();
        Array.Sort(all);
        return new LatencyFigures(
            Percentile(all, 0.50), Percentile(all, 0.99), all.LongLength, connections, samples.Count(s => s.Count < roundTrips))
        {
            // The CPU covers the warm-up round trips (and the 32 connects) too: divide by every round trip made.
            UserMicrosecondsPerRoundTrip = cpu is { } c && counted.Total > 0 ? c.UserSeconds * 1e6 / counted.Total : null,
            KernelMicrosecondsPerRoundTrip = cpu is { } k && counted.Total > 0 ? k.KernelSeconds * 1e6 / counted.Total : null,
        };
    }

    private static async Task<List<double>> ConnectionAsync(
        IPEndPoint proxy, ClientSockets clients, int roundTrips, RoundTripCount counted, CancellationToken cancellationToken)
    {
        var micros = new List<double>(roundTrips);
        try
        {
            using var socket = await clients.ConnectAsync(proxy, cancellationToken);
            await socket.SendAsync(new[] { (byte)'E' }, SocketFlags.None, cancellationToken);
            var message = new byte[MessageSize];
            var reply = new byte[MessageSize];
            for (var i = 0; i < WarmUp + roundTrips; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await socket.SendAsync(message, SocketFlags.None, cancellationToken);
                if (!await ClientSockets.ReceiveExactlyAsync(socket, reply, cancellationToken))
                {
                    break;
                }

                counted.Add();
                if (i >= WarmUp)
                {
                    micros.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
            }
        }
        catch (SocketException)
        {
            // Counted as an incomplete connection.
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Hit the time limit: keep what was measured.
        }

        return micros;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>Every round trip made by the scenario's connections, warm-up included.</summary>
    private sealed class RoundTripCount
    {
        private long _total;

        public long Total => Interlocked.Read(ref _total);

        public void Add() => Interlocked.Increment(ref _total);
    }
}
