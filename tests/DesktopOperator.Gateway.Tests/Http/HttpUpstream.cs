using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tests.Http;

/// <summary>
/// A real Kestrel desktop host on loopback: <c>/whoami</c> answers its name and the X-Forwarded-User it received,
/// <c>/ws</c> echoes WebSocket messages.
/// </summary>
internal sealed class HttpUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpUpstream(WebApplication app) => _app = app;

    public static async Task<HttpUpstream> StartAsync(string name, IPEndPoint endPoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(endPoint));
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/whoami", (HttpRequest request) => $"{name} user={request.Headers["X-Forwarded-User"]}");
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, context.RequestAborted);
            }
        });
        await app.StartAsync();
        return new HttpUpstream(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
