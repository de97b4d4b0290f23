using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>Bulk throughput: N parallel streams upload for a fixed time; bytes are counted where they arrive.</summary>
internal static class ThroughputScenario
{
    private const int Chunk = 64 * 1024;

    public static async Task<ThroughputFigures> RunAsync(
        IPEndPoint proxy, ClientSockets clients, int streams, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(duration + TimeSpan.FromSeconds(30));
        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => StreamAsync(proxy, clients, duration, limit.Token)));
        var elapsed = watch.Elapsed;
        var bytes = results.Where(r => r >= 0).Sum();
        return new ThroughputFigures(bytes / elapsed.TotalSeconds / (1024 * 1024), streams, elapsed, results.Count(r => r < 0));
    }

    /// <summary>Bytes the backend counted, or -1 on a failed stream.</summary>
    private static async Task<long> StreamAsync(IPEndPoint proxy, ClientSockets clients, TimeSpan duration, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = await clients.ConnectAsync(proxy, cancellationToken);
            var payload = new byte[Chunk];
            Random.Shared.NextBytes(payload);
            payload[0] = (byte)'S';
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                await socket.SendAsync(payload, SocketFlags.None, cancellationToken);
            }

            socket.Shutdown(SocketShutdown.Send);
            var answer = new byte[8];
            return await ClientSockets.ReceiveExactlyAsync(socket, answer, cancellationToken)
                ? BinaryPrimitives.ReadInt64BigEndian(answer) + 1 // the mode byte
                : -1;
        }
        catch (SocketException)
        {
            return -1;
        }
    }
}
