using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Numerics;
using System.Text;
using DesktopOperator.Metrics.Aggregation;
using DesktopOperator.Metrics.Prometheus;

namespace DesktopOperator.Metrics;

/// <summary>
/// Listens to the <see cref="System.Diagnostics.Metrics"/> instruments of the configured meters and writes them in
/// the Prometheus text format 0.0.4. Instruments published before or after construction are both picked up;
/// an instrument whose meter is disposed disappears from the output.
/// Thread-safety: measurements may be recorded on any thread while scrapes run; scrapes may be concurrent with
/// each other (their collection steps run one at a time, because observable callbacks report into shared state).
/// Output order is stable: by metric name, then by label text.
/// </summary>
internal sealed class PrometheusMetricsExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly PrometheusExporterOptions _options;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, InstrumentAggregator> _aggregators = new();
    private readonly SemaphoreSlim _collectGate = new(1, 1);

    public PrometheusMetricsExporter(PrometheusExporterOptions options)
    {
        _options = options;
        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = (instrument, _) => _aggregators.TryRemove(instrument, out InstrumentAggregator? _),
        };
        _listener.SetMeasurementEventCallback<byte>(OnMeasurement);
        _listener.SetMeasurementEventCallback<short>(OnMeasurement);
        _listener.SetMeasurementEventCallback<int>(OnMeasurement);
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.SetMeasurementEventCallback<float>(OnMeasurement);
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.SetMeasurementEventCallback<decimal>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Writes the current values as UTF-8 (no BOM) to <paramref name="stream"/>, which stays open.</summary>
    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var text = await CollectAsync(cancellationToken);
        await stream.WriteAsync(Utf8NoBom.GetBytes(text), cancellationToken);
    }

    public async Task WriteAsync(TextWriter writer, CancellationToken cancellationToken)
    {
        var text = await CollectAsync(cancellationToken);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }

    /// <summary>The exposition text of one scrape.</summary>
    public async Task<string> CollectAsync(CancellationToken cancellationToken)
    {
        List<MetricFamily> families;
        await _collectGate.WaitAsync(cancellationToken);
        try
        {
            families = Collect();
        }
        finally
        {
            _collectGate.Release();
        }

        var builder = new StringBuilder(capacity: 4096);
        foreach (var family in families)
        {
            family.WriteTo(builder);
        }

        return builder.ToString();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _collectGate.Dispose();
    }

    private static void OnMeasurement<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        where T : struct, INumberBase<T> =>
        ((InstrumentAggregator)state!).Record(double.CreateSaturating(value), tags);

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!_options.Matches(instrument.Meter.Name))
        {
            return;
        }

        var aggregator = AggregatorFactory.Create(instrument, _options.MaxSeriesPerInstrument);
        if (aggregator is not null && _aggregators.TryAdd(instrument, aggregator))
        {
            listener.EnableMeasurementEvents(instrument, aggregator);
        }
    }

    private List<MetricFamily> Collect()
    {
        // Deterministic precedence when two instruments map to one name: by meter, then instrument name.
        var aggregators = _aggregators.Values
            .OrderBy(a => a.Instrument.Meter.Name, StringComparer.Ordinal)
            .ThenBy(a => a.Instrument.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var aggregator in aggregators)
        {
            aggregator.BeginCollect();
        }

        _listener.RecordObservableInstruments();

        var families = new Dictionary<string, MetricFamily>(StringComparer.Ordinal);
        foreach (var aggregator in aggregators)
        {
            if (!families.TryGetValue(aggregator.Name, out var family))
            {
                family = new MetricFamily(aggregator.Name, aggregator.Help, aggregator.Type);
                families.Add(aggregator.Name, family);
            }
            else if (family.Type != aggregator.Type)
            {
                // Same name, different type: the text format cannot carry both; the first one wins.
                continue;
            }

            aggregator.Collect(family);
        }

        return [.. families.Values.Where(f => !f.IsEmpty).OrderBy(f => f.Name, StringComparer.Ordinal)];
    }
}
