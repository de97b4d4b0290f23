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
        StandaloneOptions standalone, TcpProxyOptions proxy, HttpGatewayOptions web, (string Path, AffinityCookieKeys Loaded) keys, IPAddress listenAddress, string httpUrl,
        HttpsEndpoint? https, bool jsonLogs)
    {
        var builder = GatewayWebHost.CreateBuilder(proxy, httpUrl, https, jsonLogs);
        builder.Services.AddStandaloneGateway(standalone, proxy, listenAddress);
        builder.Services.AddHttpGateway(web, keys.Path, keys.Loaded);

        var app = builder.Build();
        var service = app.Services.GetRequiredService<StandaloneGatewayService>();
        GatewayWebHost.MapEndpoints(app, https, () => service.NotReadyReason, () => service.ManifestErrors.SelectMany(f => f.Value.Select(e => $"{f.Key}: {e}")));
        return app;
    }
}
