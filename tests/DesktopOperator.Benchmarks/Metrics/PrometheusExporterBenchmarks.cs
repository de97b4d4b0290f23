using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using DesktopOperator.Metrics;

namespace DesktopOperator.Benchmarks.Metrics;

/// <summary>
/// Cost of a measurement while the exporter listens (the gateway records on its hot path) and of one scrape.
/// <c>dotnet run -c Release --project tests/DesktopOperator.Benchmarks -- --filter '*PrometheusExporter*'</c>
/// </summary>
[MemoryDiagnoser]
public class PrometheusExporterBenchmarks : IDisposable
{
    private readonly KeyValuePair<string, object?> _pool = new("pool", "office");
    private readonly KeyValuePair<string, object?> _direction = new("direction", "upstream");
    private Meter _meter = null!;
    private PrometheusMetricsExporter _exporter = null!;
    private Counter<long> _bytes = null!;
    private Histogram<double> _latency = null!;
    private Meter _bareMeter = null!;
    private MeterListener _bareListener = null!;
    private Counter<long> _bareBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var name = "DesktopOperator.Benchmarks." + Guid.NewGuid().ToString("N");
        _meter = new Meter(name);
        _exporter = new PrometheusMetricsExporter(new PrometheusExporterOptions { MeterNames = [name] });
        _bytes = _meter.CreateCounter<long>("gateway_bytes", "By");
        _latency = _meter.CreateHistogram<double>("gateway_connect_duration", "s");
        var hosts = _meter.CreateCounter<long>("gateway_connections");
        for (var i = 0; i < 1000; i++)
        {
            hosts.Add(1, new("pool", "p" + (i % 10)), new("host", "h" + i));
        }

        _bytes.Add(1, _pool, _direction);
        _latency.Record(0.01, _pool);

        // Baseline: what System.Diagnostics.Metrics itself costs with a listener that does nothing.
        _bareMeter = new Meter(name + ".Bare");
        _bareBytes = _bareMeter.CreateCounter<long>("gateway_bytes", "By");
        _bareListener = new MeterListener { InstrumentPublished = (i, l) => { if (i.Meter == _bareMeter) { l.EnableMeasurementEvents(i); } } };
        _bareListener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _bareListener.Start();
    }

    [Benchmark(Baseline = true)]
    public void CounterAdd_TwoTags_EmptyListener() => _bareBytes.Add(4096, _pool, _direction);

    [Benchmark]
    public void CounterAdd_TwoTags() => _bytes.Add(4096, _pool, _direction);

    [Benchmark]
    public void HistogramRecord_OneTag() => _latency.Record(0.0042, _pool);

    [Benchmark]
    public Task<string> Scrape_1000Series() => _exporter.CollectAsync(CancellationToken.None);

    [GlobalCleanup]
    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
        _bareListener.Dispose();
        _bareMeter.Dispose();
        GC.SuppressFinalize(this);
    }
}
