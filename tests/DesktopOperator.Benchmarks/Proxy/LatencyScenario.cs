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
        IPEndPoint proxy, ClientSockets clients, int connections, int roundTrips, TimeSpan maxDuration, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(maxDuration);
        var samples = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => ConnectionAsync(proxy, clients, roundTrips, limit.Token)));
        var all = samples.SelectMany(s => s).ToArray();
        Array.Sort(all);
        return new LatencyFigures(
            Percentile(all, 0.50), Percentile(all, 0.99), all.LongLength, connections, samples.Count(s => s.Count < roundTrips));
    }

    private static async Task<List<double>> ConnectionAsync(IPEndPoint proxy, ClientSockets clients, int roundTrips, CancellationToken cancellationToken)
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
}
