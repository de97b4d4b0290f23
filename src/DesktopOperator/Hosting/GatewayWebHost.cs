using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Http;
using DesktopOperator.Gateway.Pages;
using DesktopOperator.Gateway.Pools;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Gateway.Tcp.Accept;
using DesktopOperator.Gateway.Tls;
using DesktopOperator.Metrics;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration.Memory;

namespace DesktopOperator.Hosting;

/// <summary>
/// What every gateway mode's web host shares: Kestrel's transport set up for the proxy, logging defaults, the metrics
/// exporter, and the endpoints (/metrics, /healthz, /readyz, the pages, /api/status and the Http pools' proxy).
/// </summary>
internal static class GatewayWebHost
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

    public static WebApplicationBuilder CreateBuilder(TcpProxyOptions proxy, string httpUrl, HttpsEndpoint? https, bool jsonLogs)
    {
        var builder = SlimHost.CreateBuilder();
        // Defaults below every other source, so Logging__LogLevel__... in the environment still wins.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });
        HttpsEndpoint.Listen(builder, httpUrl, https);
        // Kestrel's socket transport serves the HTTP endpoints (health, metrics, pages, Http pools); the TCP proxy
        // ports take their sockets without it (Tcp/TcpProxyConnectionHandler). Both settings below were measured when
        // the TCP pump still ran on Kestrel's connections (proxy-figures.md, Runs 3 and 4) and are kept for HTTP:
        // blocks of 64 KiB (Tcp/ProxyMemoryPool; an idle connection holds none), and inline scheduling (continuations
        // run on the thread that completed the socket operation instead of hopping through Kestrel's I/O queue; safe
        // because nothing on the HTTP paths blocks). WaitForDataBeforeAllocatingBuffer stays true (the default).
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(new ProxyMemoryPoolFactory());
        builder.WebHost.UseSockets(o =>
        {
            o.MaxReadBufferSize = 64 * 1024;
            o.UnsafePreferInlineScheduling = true;
        });
        // Our accept for every port: failed accepts (EMFILE) are counted and backed off, not retried in a tight loop
        // inside Kestrel (Tcp/Accept/GatewaySocketListener); the TCP proxy ports bind through the same transport.
        builder.Services.AddGatewaySocketTransport();
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = proxy.DrainTime + TimeSpan.FromSeconds(10));
        if (jsonLogs)
        {
            builder.Logging.AddJsonConsole();
        }

        builder.Services.AddSingleton(new PrometheusMetricsExporter(new PrometheusExporterOptions()));
        return builder;
    }

    /// <summary>
    /// Maps the endpoints (behind the redirect to HTTPS when <paramref name="https"/> asks for it);
    /// <paramref name="notReadyReason"/> drives /readyz, <paramref name="problems"/> are the mode's own (manifest errors)
    /// listed on /api/status before the applier's.
    /// </summary>
    public static void MapEndpoints(WebApplication app, HttpsEndpoint? https, Func<string?> notReadyReason, Func<IEnumerable<string>> problems)
    {
        if (https is not null)
        {
            app.UseHttpsRedirect(https.Settings);
        }

        // Created now, not at the first scrape: measurements are only seen once the exporter listens.
        app.Services.GetRequiredService<PrometheusMetricsExporter>();
        app.Services.GetRequiredService<RoutingMetrics>();
        var applier = app.Services.GetRequiredService<GatewayPlanApplier>();
        app.MapObservability(notReadyReason);
        app.MapGatewayPages();
        app.MapGet("/api/status", (IPoolSnapshotSource pools, IRouteStore routes, IHostHealthView health) =>
            Results.Json(GatewayStatus.Build(pools, routes, health, [.. problems(), .. applier.Problems])));
        app.MapDesktopProxy();
    }
}
