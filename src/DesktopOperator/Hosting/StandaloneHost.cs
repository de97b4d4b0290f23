using System.Net;
using DesktopOperator.Gateway;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Pages;
using DesktopOperator.Gateway.Pools;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Standalone;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tls;
using DesktopOperator.Metrics;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration.Memory;

namespace DesktopOperator.Hosting;

/// <summary>Wiring of standalone mode: the gateway over a manifest folder and a state folder, plus its HTTP endpoints.</summary>
internal static class StandaloneHost
{
    private static readonly Dictionary<string, string?> LoggingDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        // One line per HTTP request (scrapes, /readyz probes) would bury the gateway's own log.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        // YARP logs two lines per proxied request (Http pools) at Information.
        ["Logging:LogLevel:Yarp"] = "Warning",
        // "Hosting failed to start" with a stack trace: the command reports a failed start itself, in one line.
        ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Critical",
    };

    public static WebApplication Build(
        StandaloneOptions standalone, TcpProxyOptions proxy, HttpGatewayOptions web, (string Path, AffinityCookieKeys Loaded) keys, IPAddress listenAddress, string httpUrl,
        HttpsEndpoint? https, bool jsonLogs)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Defaults below every other source, so Logging__LogLevel__... in the environment still wins.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });
        HttpsEndpoint.Listen(builder, httpUrl, https);
        // Blocks of 64 KiB for the socket transport (Tcp/ProxyMemoryPool): a busy connection moves a block per system
        // call; an idle one holds none. The transport takes its pool from this registration.
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(new ProxyMemoryPoolFactory());
        // Inline scheduling: the pump's pipe continuations run on the thread that completed the socket operation
        // instead of hopping through Kestrel's I/O queue (proxy-figures.md, Run 3). Safe because nothing on the
        // connection paths blocks: the pump, the RDP handshake and the HTTP endpoints are async all the way.
        // WaitForDataBeforeAllocatingBuffer stays true (the default): idle connections hold no receive buffer.
        builder.WebHost.UseSockets(o =>
        {
            o.MaxReadBufferSize = 64 * 1024;
            o.UnsafePreferInlineScheduling = true;
        });
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = proxy.DrainTime + TimeSpan.FromSeconds(10));
        if (jsonLogs)
        {
            builder.Logging.AddJsonConsole();
        }

        builder.Services.AddSingleton(new PrometheusMetricsExporter(new PrometheusExporterOptions()));
        builder.Services.AddStandaloneGateway(standalone, proxy, listenAddress);
        builder.Services.AddHttpGateway(web, keys.Path, keys.Loaded);

        var app = builder.Build();
        // Created now, not at the first scrape: measurements are only seen once the exporter listens.
        app.Services.GetRequiredService<PrometheusMetricsExporter>();
        app.Services.GetRequiredService<RoutingMetrics>();
        if (https is not null)
        {
            app.UseHttpsRedirect(https.Settings);
        }

        MapEndpoints(app);
        app.MapDesktopProxy();
        return app;
    }

    private static void MapEndpoints(WebApplication app)
    {
        var applier = app.Services.GetRequiredService<GatewayPlanApplier>();
        var service = app.Services.GetRequiredService<StandaloneGatewayService>();
        app.MapObservability(() => service.NotReadyReason);
        app.MapGatewayPages();
        app.MapGet("/api/status", (IPoolSnapshotSource pools, IRouteStore routes, IHostHealthView health) =>
        {
            var problems = service.ManifestErrors.SelectMany(f => f.Value.Select(e => $"{f.Key}: {e}")).Concat(applier.Problems).ToList();
            return Results.Json(GatewayStatus.Build(pools, routes, health, problems));
        });
    }
}
