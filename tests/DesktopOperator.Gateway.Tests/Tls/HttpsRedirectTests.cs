using DesktopOperator.Gateway.Tls;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DesktopOperator.Gateway.Tests.Tls;

public sealed class HttpsRedirectTests
{
    private static readonly HttpsSettings Settings = new("https://0.0.0.0:8443", 8443, "tls.crt", "tls.key", RedirectHttp: true, Hsts: false);

    [Theory]
    [InlineData("gateway.example:8080", "/novnc/vnc.html", "?path=x", "https://gateway.example:8443/novnc/vnc.html?path=x")]
    [InlineData("127.0.0.1:8080", "/picker", "?pool=default/web", "https://127.0.0.1:8443/picker?pool=default/web")]
    [InlineData("[::1]:8080", "/", "", "https://[::1]:8443/")]
    public async Task PlainRequest_ForPagesOrPools_Gets308ToTheSamePathOnTheHttpsPort(string host, string path, string query, string location)
    {
        var context = await SendAsync(Settings, host, path, query, https: false);

        Assert.Equal(StatusCodes.Status308PermanentRedirect, context.Response.StatusCode);
        Assert.Equal(location, context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task PlainRequest_ToPort443_LeavesThePortOut()
    {
        var context = await SendAsync(Settings with { RedirectPort = 443 }, "gateway.example", "/desk/", "", https: false);

        Assert.Equal("https://gateway.example/desk/", context.Response.Headers.Location.ToString());
    }

    [Theory]
    [InlineData(443, "gateway.example:80", "/desk/", "https://gateway.example/desk/")]
    [InlineData(30443, "gateway.example:8080", "/picker", "https://gateway.example:30443/picker")]
    public async Task PlainRequest_WithARedirectPort_GoesToThatPortNotTheListeners(int redirectPort, string host, string path, string location)
    {
        // Behind a Service: the gateway listens on 8443 in the pod, clients reach HTTPS on the Service's port.
        var settings = Settings with { RedirectPort = redirectPort };

        var context = await SendAsync(settings, host, path, "", https: false);

        Assert.Equal(StatusCodes.Status308PermanentRedirect, context.Response.StatusCode);
        Assert.Equal(location, context.Response.Headers.Location.ToString());
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task PlainRequest_ForProbesAndMetrics_IsServed(string path)
    {
        var context = await SendAsync(Settings, "127.0.0.1:8080", path, "", https: false);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Fact]
    public async Task PlainRequest_RedirectTurnedOff_IsServed()
    {
        var context = await SendAsync(Settings with { RedirectHttp = false }, "127.0.0.1:8080", "/desk/", "", https: false);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
    }

    [Theory]
    [InlineData(true, "max-age=31536000")]
    [InlineData(false, "")]
    public async Task HttpsRequest_IsServed_WithHstsOnlyWhenAsked(bool hsts, string expected)
    {
        var context = await SendAsync(Settings with { Hsts = hsts }, "127.0.0.1:8443", "/desk/", "", https: true);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(expected, context.Response.Headers.StrictTransportSecurity.ToString());
    }

    private static async Task<DefaultHttpContext> SendAsync(HttpsSettings settings, string host, string path, string query, bool https)
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        var app = new ApplicationBuilder(services);
        app.UseHttpsRedirect(settings);
        app.Run(context =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
        var context = new DefaultHttpContext();
        context.Request.Scheme = https ? "https" : "http";
        context.Request.Host = HostString.FromUriComponent(host);
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        await app.Build()(context);
        return context;
    }
}
