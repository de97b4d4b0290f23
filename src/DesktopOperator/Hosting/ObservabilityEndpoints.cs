using DesktopOperator.Metrics;

namespace DesktopOperator.Hosting;

/// <summary><c>/metrics</c> (Prometheus text), <c>/healthz</c> (the process serves) and <c>/readyz</c> (it is configured).</summary>
internal static class ObservabilityEndpoints
{
    public static void MapObservability(this WebApplication app, Func<bool> isReady)
    {
        app.MapGet("/metrics", async (HttpContext context, PrometheusMetricsExporter exporter) =>
        {
            context.Response.ContentType = PrometheusMetricsExporter.ContentType;
            await exporter.WriteAsync(context.Response.Body, context.RequestAborted);
        });
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => isReady() ? Results.Text("ready\n") : Results.Text("not ready\n", statusCode: StatusCodes.Status503ServiceUnavailable));
    }
}
