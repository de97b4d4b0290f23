using System.Net;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Health.Probes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tests.Health;

/// <summary>The HTTP probe against a real Kestrel on 127.0.0.1, with routes answering 200, 302 and 500.</summary>
public sealed class HttpGetProbeTests : IAsyncLifetime
{
    private WebApplication? _app;
    private int _port;
    private string? _lastPath;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Use((context, next) =>
        {
            _lastPath = context.Request.Path + context.Request.QueryString;
            return next(context);
        });
        _app.MapGet("/healthz", () => Results.Text("ok"));
        _app.MapGet("/moved", () => Results.Redirect("/healthz"));
        _app.MapGet("/broken", () => Results.StatusCode(500));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _port = new Uri(address).Port;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("/healthz", "Success")]
    [InlineData("/moved", "Success")]
    [InlineData("/broken", "Invalid")]
    [InlineData("/missing", "Invalid")]
    public async Task Probe_Status_PassesOn2xxAnd3xx(string path, string expected)
    {
        var result = await ProbeAssert.RunAsync(new HttpGetProbe(path), _port);

        Assert.Equal(Enum.Parse<ProbeOutcome>(expected), result.Outcome);
        Assert.Equal(path, _lastPath);
    }

    [Fact]
    public async Task Probe_500_DetailNamesStatus()
    {
        var result = await ProbeAssert.RunAsync(new HttpGetProbe("/broken"), _port);

        Assert.Equal("status 500", result.Detail);
    }
}
