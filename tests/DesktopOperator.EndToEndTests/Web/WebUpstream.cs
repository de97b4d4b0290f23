using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.EndToEndTests.Web;

/// <summary>A web desktop host on loopback (Kestrel): every path answers <c>NAME PATH</c>, so a test sees which host served it.</summary>
internal sealed class WebUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebUpstream(WebApplication app) => _app = app;

    public static async Task<WebUpstream> StartAsync(string name, IPEndPoint endPoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(endPoint));
        var app = builder.Build();
        app.MapFallback((HttpRequest request) => $"{name} {request.Path}");
        await app.StartAsync();
        return new WebUpstream(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
