using System.Net;
using DesktopOperator.Gateway;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Kubernetes;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Kube;
using DesktopOperator.Kube.Config;

namespace DesktopOperator.Hosting;

/// <summary>
/// Wiring of <c>desktop-operator gateway</c>: the gateway in Kubernetes mode (pools and pods from the API server) plus
/// its HTTP endpoints; /readyz answers 200 once the caches have synced and the first plan is in force.
/// </summary>
internal static class KubernetesGatewayHost
{
    public static WebApplication Build(
        KubeClientSettings kube, KubernetesGatewayOptions kubernetes, TcpProxyOptions proxy, HttpGatewayOptions web, (string? Path, AffinityCookieKeys Loaded) keys, IPAddress listenAddress, string httpUrl,
        HttpsEndpoint? https, bool jsonLogs)
    {
        var builder = GatewayWebHost.CreateBuilder(proxy, httpUrl, https, jsonLogs);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddKubernetesClients(kube);
        builder.Services.AddKubernetesGateway(kubernetes, proxy, listenAddress);
        if (keys.Path is { } path)
        {
            builder.Services.AddHttpGateway(web, path, keys.Loaded); // read again when the mounted Secret changes
        }
        else
        {
            builder.Services.AddHttpGateway(web, () => keys.Loaded);
        }


        var app = builder.Build();
        var service = app.Services.GetRequiredService<KubernetesGatewayService>();
        GatewayWebHost.MapEndpoints(app, https, () => service.NotReadyReason, () => []);
        return app;
    }
}
