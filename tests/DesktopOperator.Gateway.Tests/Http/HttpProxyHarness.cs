using System.Net;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Pages;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Tests.Routing;
using DesktopOperator.Testing.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Tests.Http;

/// <summary>
/// The HTTP proxy on a loopback Kestrel port in front of two real upstream hosts (h1 on 127.0.0.21, h2 on
/// 127.0.0.22, same port) and the gateway's pages, over a <see cref="Sessions.RouterHarness"/>'s router: one pool with an Http protocol at <c>/desk/</c>.
/// </summary>
internal sealed class HttpProxyHarness : IAsyncDisposable
{
    public const string Secret = "test-key-0123456789-0123456789-0123456789";

    private readonly List<HttpUpstream> _upstreams;
    private readonly WebApplication _app;

    private HttpProxyHarness(Sessions.RouterHarness router, List<HttpUpstream> upstreams, WebApplication app, Uri address)
    {
        (Router, _upstreams, _app, Address) = (router, upstreams, app, address);
    }

    public Sessions.RouterHarness Router { get; }

    public Uri Address { get; }

    public static async Task<HttpProxyHarness> StartAsync(HttpGatewayOptions? options = null, string[]? keys = null)
    {
        var port = LoopbackPorts.GetFreePort(LoopbackPorts.Address(21));
        var hosts = new[] { new GatewayHost("h1", "127.0.0.21"), new GatewayHost("h2", "127.0.0.22") };
        var upstreams = new List<HttpUpstream>();
        foreach (var host in hosts)
        {
            upstreams.Add(await HttpUpstream.StartAsync(host.Name, new IPEndPoint(IPAddress.Parse(host.Address), port)));
        }

        var pool = new GatewayPool
        {
            Key = TestPools.Key,
            Protocols = [new GatewayProtocol("web", ProtocolKind.Http, port)],
            Hosts = hosts,
            SessionsPerHost = 10,
        };
        var router = new Sessions.RouterHarness(pool);
        foreach (var host in hosts)
        {
            router.Health.Set(pool.Key, host.Name, HostHealth.Healthy);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var proxyEndPoint = LoopbackPorts.GetFreeEndPoint(IPAddress.Loopback);
        builder.WebHost.UseKestrel(o => o.Listen(proxyEndPoint));
        builder.Services.AddSingleton<IConnectionRouter>(router.Router);
        builder.Services.AddSingleton<IPoolSnapshotSource>(router.Pools);
        builder.Services.AddSingleton(router.Store);
        builder.Services.AddSingleton<IHostHealthView>(router.Health);
        builder.Services.AddSingleton(new HttpProxyConfigProvider(TimeSpan.FromMinutes(5)));
        builder.Services.AddHttpGateway(options ?? new HttpGatewayOptions(), () => new AffinityCookieKeys(keys ?? [Secret]));
        var app = builder.Build();
        app.Services.GetRequiredService<HttpProxyConfigProvider>().Update(
            [new HttpRoutePlan(pool.Key, "web", "/desk", null, port, "X-Forwarded-User", HttpRoutePlan.DefaultCookieName)], [pool]);
        app.MapDesktopProxy();
        app.MapGatewayPages();
        await app.StartAsync();
        return new HttpProxyHarness(router, upstreams, app, new Uri($"http://{proxyEndPoint}/"));
    }

    /// <summary>A client with its own cookie jar (a browser).</summary>
    public HttpClient NewClient(CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true }) { BaseAddress = Address };

    public IReadOnlyList<RouteRecord> Routes => Router.Store.List(TestPools.Key);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var upstream in _upstreams)
        {
            await upstream.DisposeAsync();
        }

        Router.Dispose();
    }
}
