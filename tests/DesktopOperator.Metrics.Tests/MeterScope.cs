using System.Diagnostics.Metrics;

namespace DesktopOperator.Metrics.Tests;

/// <summary>A meter with a name no other test uses, and an exporter that listens to it alone.</summary>
internal sealed class MeterScope : IDisposable
{
    public MeterScope(int maxSeries = 2000)
    {
        MeterName = "DesktopOperator.Tests." + Guid.NewGuid().ToString("N");
        Meter = new Meter(MeterName);
        Exporter = new PrometheusMetricsExporter(new PrometheusExporterOptions { MeterNames = [MeterName], MaxSeriesPerInstrument = maxSeries });
    }

    public string MeterName { get; }

    public Meter Meter { get; }

    public PrometheusMetricsExporter Exporter { get; }

    public Task<string> ScrapeAsync() => Exporter.CollectAsync(CancellationToken.None);

    /// <summary>The sample lines (no comments) of one scrape.</summary>
    public async Task<string[]> SamplesAsync() =>
        (await ScrapeAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToArray();

    public void Dispose()
    {
        Exporter.Dispose();
        Meter.Dispose();
    }
}
