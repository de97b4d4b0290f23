using System.Net;
using DesktopOperator.Gateway;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Gateway.Tcp;

namespace DesktopOperator.Hosting;

/// <summary>Wiring of standalone mode: the gateway over a manifest folder and a state folder, plus its HTTP endpoints.</summary>
internal static class StandaloneHost
{
    public static WebApplication Build(
        StandaloneOptions standalone, TcpProxyOptions proxy, HttpGatewayOptions web, AffinityCookieKeys keys, IPAddress listenAddress, string httpUrl, bool jsonLogs)
    {
        var builder = GatewayWebHost.CreateBuilder(proxy, httpUrl, jsonLogs);
        builder.Services.AddStandaloneGateway(standalone, proxy, listenAddress);
        builder.Services.AddHttpGateway(web, () => keys);

        var app = builder.Build();
        var service = app.Services.GetRequiredService<StandaloneGatewayService>();
        GatewayWebHost.MapEndpoints(app, () => service.NotReadyReason, () => service.ManifestErrors.SelectMany(f => f.Value.Select(e => $"{f.Key}: {e}")));
        return app;
    }
}
