using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using DesktopOperator.Benchmarks.Proxy;
using DesktopOperator.Testing.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Benchmarks.Http;

/// <summary>
/// The <c>ws-upstream ADDRESS...</c> subcommand: a Kestrel WebSocket host on one free port of every address (the
/// hosts of the HTTP benchmark). <c>/echo</c> sends every message back; <c>/download</c> streams 64 KiB binary
/// messages until the client goes. Serves until stdin closes (the parent is gone) or it is killed; run through
/// <see cref="BackendProcess"/>.
/// </summary>
internal static class WebSocketUpstream
{
    public const string Command = "ws-upstream";

    /// <summary>The echo scenario's message: small, like a desktop's input events.</summary>
    public const int EchoMessageBytes = 64;

    private const int DownloadMessageBytes = 64 * 1024;

    public static async Task<int> RunAsync(IReadOnlyList<string> addresses)
    {
        var hosts = addresses.Select(IPAddress.Parse).ToList();
        var port = LoopbackPorts.GetFreePort(hosts[0]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var host in hosts)
            {
                kestrel.Listen(host, port);
            }
        });
        await using var app = builder.Build();
        app.UseWebSockets();
        app.Map("/echo", (HttpContext context) => AcceptAsync(context, EchoAsync));
        app.Map("/download", (HttpContext context) => AcceptAsync(context, DownloadAsync));
        await app.StartAsync();
        Console.WriteLine(BackendProcess.PortLine + port.ToString(CultureInfo.InvariantCulture));
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }

    private static async Task AcceptAsync(HttpContext context, Func<WebSocket, CancellationToken, Task> serve)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        try
        {
            await serve(socket, context.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client (or the proxy) went away: the normal end of a benchmark connection.
        }
    }

    private static async Task EchoAsync(WebSocket socket, CancellationToken aborted)
    {
        var buffer = new byte[DownloadMessageBytes];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(), aborted);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, aborted);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, aborted);
        }
    }

    private static async Task DownloadAsync(WebSocket socket, CancellationToken aborted)
    {
        var message = new byte[DownloadMessageBytes];
        Random.Shared.NextBytes(message);
        var closed = socket.ReceiveAsync(new byte[256].AsMemory(), aborted).AsTask();
        while (!closed.IsCompleted)
        {
            await socket.SendAsync(message.AsMemory(), WebSocketMessageType.Binary, endOfMessage: true, aborted);
        }

        await closed;
    }
}
