using System.Diagnostics;
using System.Net.WebSockets;
using DesktopOperator.Benchmarks.Proxy;

namespace DesktopOperator.Benchmarks.Http;

/// <summary>
/// WebSocket load through a proxy to <see cref="WebSocketUpstream"/>: every connection is opened first (not
/// measured), then each runs its loop until the duration ends. Download: the upstream streams 64 KiB binary messages,
/// the client counts what arrives (MiB/s). Echo: one small message out, its echo back, again (round trips per second,
/// one in flight per connection). The proxy's CPU time is read around the measured span.
/// </summary>
internal static class WebSocketLoad
{
    public static Task<ScenarioResult> DownloadAsync(Uri baseUri, int connections, TimeSpan duration, int proxyPid, CancellationToken cancellationToken) =>
        RunAsync(new Uri(baseUri, "download"), connections, duration, proxyPid, DownloadLoopAsync, cancellationToken);

    public static Task<ScenarioResult> EchoAsync(Uri baseUri, int connections, TimeSpan duration, int proxyPid, CancellationToken cancellationToken) =>
        RunAsync(new Uri(baseUri, "echo"), connections, duration, proxyPid, EchoLoopAsync, cancellationToken);

    private static async Task<ScenarioResult> RunAsync(
        Uri url, int connections, TimeSpan duration, int proxyPid,
        Func<ClientWebSocket, long[], CancellationToken, Task> loop, CancellationToken cancellationToken)
    {
        var sockets = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < connections; i++)
            {
                var socket = new ClientWebSocket();
                sockets.Add(socket);
                await socket.ConnectAsync(url, cancellationToken);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var before = ProcessCpu.Read(proxyPid);
            var clock = Stopwatch.StartNew();
            stop.CancelAfter(duration);
            var runs = sockets.Select(s => GuardedAsync(s, loop, stop.Token)).ToList();
            var results = await Task.WhenAll(runs);
            var elapsed = clock.Elapsed;
            var cpu = ProcessCpu.Between(before, ProcessCpu.Read(proxyPid));
            cancellationToken.ThrowIfCancellationRequested();
            return new ScenarioResult(
                results.Sum(r => r.Units), results.Sum(r => r.Bytes), elapsed, results.Count(r => r.Failed), cpu);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Abort();
                socket.Dispose();
            }
        }
    }

    private static async Task<(long Units, long Bytes, bool Failed)> GuardedAsync(
        ClientWebSocket socket, Func<ClientWebSocket, long[], CancellationToken, Task> loop, CancellationToken stop)
    {
        // [0]: units of work, [1]: bytes; what a connection did before it failed still counts.
        var counts = new long[2];
        try
        {
            await loop(socket, counts, stop);
            return (counts[0], counts[1], false);
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
            return (counts[0], counts[1], !stop.IsCancellationRequested);
        }
    }

    private static async Task DownloadLoopAsync(ClientWebSocket socket, long[] counts, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        while (!stop.IsCancellationRequested)
        {
            ValueWebSocketReceiveResult received;
            try
            {
                received = await socket.ReceiveAsync(buffer.AsMemory(), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }

            if (received.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("the upstream closed the download");
            }

            counts[1] += received.Count;
            counts[0] += received.EndOfMessage ? 1 : 0;
        }
    }

    private static async Task EchoLoopAsync(ClientWebSocket socket, long[] counts, CancellationToken stop)
    {
        var message = new byte[WebSocketUpstream.EchoMessageBytes];
        var buffer = new byte[4096];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await socket.SendAsync(message.AsMemory(), WebSocketMessageType.Binary, endOfMessage: true, stop);
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer.AsMemory(), stop);
                    counts[1] += received.Count;
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                counts[0]++;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The duration is over: a round trip cut short is not counted.
        }
    }
}
