using System.Diagnostics.Metrics;
using DesktopOperator.Kube;
using DesktopOperator.Metrics;
using Microsoft.Extensions.Configuration.Memory;

namespace DesktopOperator.Hosting;

/// <summary>Wiring of operator mode: the controllers (see <see cref="OperatorService"/>) plus /metrics, /healthz and /readyz.</summary>
internal static class OperatorHost
{
    public const string MeterName = "DesktopOperator.Operator";

    private static readonly Dictionary<string, string?> LoggingDefaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Critical",
    };

    public static WebApplication Build(OperatorSettings settings)
    {
        var builder = SlimHost.CreateBuilder();
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = LoggingDefaults });
        builder.WebHost.UseUrls(settings.HttpUrl);
        if (settings.JsonLogs)
        {
            builder.Logging.AddJsonConsole();
        }

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddKubernetesClients(settings.Kube);
        services.AddSingleton(new PrometheusMetricsExporter(new PrometheusExporterOptions()));
        services.AddSingleton<OperatorService>();
        services.AddHostedService(sp => sp.GetRequiredService<OperatorService>());

        var app = builder.Build();
        app.Services.GetRequiredService<PrometheusMetricsExporter>();
        var service = app.Services.GetRequiredService<OperatorService>();
        var meter = app.Services.GetRequiredService<IMeterFactory>().Create(MeterName);
        meter.CreateObservableGauge("operator_leader", () => service.IsLeader ? 1 : 0, description: "1 while this replica runs the controllers (leads), else 0.");
        app.MapObservability(() => service.NotReadyReason);
        return app;
    }
}
