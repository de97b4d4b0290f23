using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// Bulk throughput: N parallel streams upload (client to host, counted by the host) or download (host to client,
/// counted by the client) for a fixed time, with the proxy's CPU time over the same work.
/// </summary>
internal static class ThroughputScenario
{
    private const int Chunk = 64 * 1024;

    public static async Task<ThroughputFigures> RunAsync(
        IPEndPoint proxy, int proxyProcessId, ClientSockets clients, int streams, TimeSpan duration, bool download, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(duration + TimeSpan.FromSeconds(30));
        var cpuBefore = ProcessCpu.Read(proxyProcessId);
        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => download
            ? DownloadAsync(proxy, clients, duration, limit.Token)
            : UploadAsync(proxy, clients, duration, limit.Token)));
        var elapsed = watch.Elapsed;
        var cpu = ProcessCpu.Between(cpuBefore, ProcessCpu.Read(proxyProcessId));
        var bytes = results.Where(r => r >= 0).Sum();
        return new ThroughputFigures(bytes / elapsed.TotalSeconds / (1024 * 1024), streams, elapsed, results.Count(r => r < 0), bytes, cpu);
    }

    /// <summary>Bytes the backend counted, or -1 on a failed stream.</summary>
    private static async Task<long> UploadAsync(IPEndPoint proxy, ClientSockets clients, TimeSpan duration, CancellationToken cancellationToken)
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

    /// <summary>Bytes received from the backend's source mode before the time was up, or -1 on a failed stream.</summary>
    private static async Task<long> DownloadAsync(IPEndPoint proxy, ClientSockets clients, TimeSpan duration, CancellationToken cancellationToken)
    {
        try
        {
            using var socket = await clients.ConnectAsync(proxy, cancellationToken);
            await socket.SendAsync(new[] { (byte)'D' }, SocketFlags.None, cancellationToken);
            var buffer = new byte[Chunk];
            long total = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    return -1;
                }

                total += read;
            }

            return total;
        }
        catch (SocketException)
        {
            return -1;
        }
    }
}
