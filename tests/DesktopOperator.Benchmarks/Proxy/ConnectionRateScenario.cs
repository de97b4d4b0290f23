using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DesktopOperator.Benchmarks.Proxy;

/// <summary>
/// New connections per second: workers connect, exchange 64 bytes with the echo backend, close, repeat; with the
/// proxy's CPU time over the same work.
/// </summary>
internal static class ConnectionRateScenario
{
    private const int MaxErrors = 1_000;

    public static async Task<ConnectionRateFigures> RunAsync(
        IPEndPoint proxy, int proxyProcessId, ClientSockets clients, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(duration + TimeSpan.FromSeconds(30));
        long completed = 0;
        long errors = 0;
        var cpuBefore = ProcessCpu.Read(proxyProcessId);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var request = new byte[65];
            request[0] = (byte)'E';
            var reply = new byte[64];
            while (watch.Elapsed < duration && Interlocked.Read(ref errors) < MaxErrors)
            {
                try
                {
                    using var socket = await clients.ConnectAsync(proxy, limit.Token);
                    await socket.SendAsync(request, SocketFlags.None, limit.Token);
                    if (await ClientSockets.ReceiveExactlyAsync(socket, reply, limit.Token))
                    {
                        Interlocked.Increment(ref completed);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (SocketException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        var elapsed = watch.Elapsed;
        var cpu = ProcessCpu.Between(cpuBefore, ProcessCpu.Read(proxyProcessId));
        return new ConnectionRateFigures(completed / elapsed.TotalSeconds, concurrency, completed, errors, cpu);
    }
}
