using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace DesktopOperator.Runtime.Tests.Support;

/// <summary>Captures measurements of the runtime's meter whose <c>name</c> or <c>controller</c> tag equals a value.</summary>
public sealed class MetricsCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public MetricsCapture(string label)
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RuntimeMeter.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Note(label, i.Name, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Note(label, i.Name, v, tags));
        _listener.Start();
    }

    public double Sum(string instrument) => _measurements.Where(m => m.Instrument == instrument).Sum(m => m.Value);

    public int Count(string instrument) => _measurements.Count(m => m.Instrument == instrument);

    public IReadOnlyList<(double Value, KeyValuePair<string, object?>[] Tags)> Observe(string instrument)
    {
        var before = _measurements.Count;
        _listener.RecordObservableInstruments();
        return [.. _measurements.Skip(before).Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags))];
    }

    public void Dispose() => _listener.Dispose();

    private void Note(string label, string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var array = tags.ToArray();
        if (array.Any(t => (t.Key is "name" or "controller") && Equals(t.Value, label)))
        {
            _measurements.Enqueue((instrument, value, array));
        }
    }
}
