using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace DesktopOperator.Gateway.Tests.Health;

/// <summary>Records every measurement of the meters created by one <see cref="TestMeterFactory"/>.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Sample> _samples = new();

    public MetricRecorder(IMeterFactory factory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    public IReadOnlyList<Sample> Samples => [.. _samples];

    /// <summary>Asks the observable instruments for their values now; returns just those samples.</summary>
    public IReadOnlyList<Sample> Observe(string instrument)
    {
        var before = _samples.Count;
        _listener.RecordObservableInstruments();
        return [.. _samples.Skip(before).Where(s => s.Instrument == instrument)];
    }

    public IEnumerable<Sample> Of(string instrument) => Samples.Where(s => s.Instrument == instrument);

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new Dictionary<string, string>();
        foreach (var tag in tags)
        {
            labels[tag.Key] = tag.Value?.ToString() ?? string.Empty;
        }

        _samples.Enqueue(new Sample(instrument.Name, value, labels));
    }

    internal sealed record Sample(string Instrument, double Value, IReadOnlyDictionary<string, string> Labels);
}
