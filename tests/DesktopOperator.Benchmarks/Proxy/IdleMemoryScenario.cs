using System.Net;
using System.Net.Sockets;
using DesktopOperator.Testing.Proxies;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// Memory per idle connection: the proxy's resident memory (VmRSS of it and its children) before and after opening N
/// connections that each did one small exchange with the echo backend and then stay quiet; the difference over N.
/// Each proxied connection holds two file descriptors in the proxy, so N is bounded by its open-file limit. With a
/// hold time the connections stay open that long after the measurement, for a heap snapshot of the proxy.
/// </summary>
internal static class IdleMemoryScenario
{
    private const int ConnectConcurrency = 128;

    public static async Task<IdleMemoryFigures> RunAsync(
        RunningProxy proxy, ClientSockets clients, int connections, TimeSpan settle, TimeSpan hold, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(3) + hold);
        await Task.Delay(settle, limit.Token);
        var before = proxy.ResidentBytes();
        var sockets = new Socket?[connections];
        var failed = 0;
        try
        {
            var half = connections / 2;
            await OpenAsync(0, half);

            // Halfway, settled: the one-off costs of serving connections (code, pools, threads) are paid by now.
            await Task.Delay(settle, limit.Token);
            var halfway = proxy.ResidentBytes();
            var heldHalfway = half - Volatile.Read(ref failed);
            await OpenAsync(half, connections);

            // Let the proxy release whatever it held for the exchange, as it would for a quiet desktop session.
            await Task.Delay(settle, limit.Token);
            var after = proxy.ResidentBytes();
            if (hold > TimeSpan.Zero)
            {
                Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {proxy.Name} (pid {proxy.ProcessId}): holding {connections - failed} idle connections for {hold.TotalSeconds:F0} s");
                await Task.Delay(hold, limit.Token);
            }

            return new IdleMemoryFigures(connections - failed, before, after, failed, halfway, heldHalfway);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }

        // Opens connections [from, upTo), each with one small exchange, 128 at a time.
        Task OpenAsync(int from, int upTo)
        {
            var next = from - 1;
            return Task.WhenAll(Enumerable.Range(0, ConnectConcurrency).Select(async _ =>
            {
                var ping = new byte[] { (byte)'E', (byte)'x' };
                var pong = new byte[1];
                int index;
                while ((index = Interlocked.Increment(ref next)) < upTo)
                {
                    try
                    {
                        var socket = await clients.ConnectAsync(proxy.EndPoint, limit.Token);
                        sockets[index] = socket;
                        await socket.SendAsync(ping, SocketFlags.None, limit.Token);
                        if (!await ClientSockets.ReceiveExactlyAsync(socket, pong, limit.Token))
                        {
                            Interlocked.Increment(ref failed);
                        }
                    }
                    catch (SocketException)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
            }));
        }
    }
}
