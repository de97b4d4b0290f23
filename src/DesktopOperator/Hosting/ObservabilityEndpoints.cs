using DesktopOperator.Metrics;

namespace DesktopOperator.Hosting;

/// <summary>
/// <c>/metrics</c> (Prometheus text), <c>/healthz</c> (the process serves) and <c>/readyz</c> (it serves what its
/// configuration asks; otherwise 503 with the reason).
/// </summary>
internal static class ObservabilityEndpoints
{
    public static void MapObservability(this WebApplication app, Func<string?> notReadyReason)
    {
        app.MapGet("/metrics", async (HttpContext context, PrometheusMetricsExporter exporter) =>
        {
            context.Response.ContentType = PrometheusMetricsExporter.ContentType;
            await exporter.WriteAsync(context.Response.Body, context.RequestAborted);
        });
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => notReadyReason() is { } reason
            ? Results.Text($"not ready: {reason}\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready\n"));
    }
}
