using System.Text;
using DesktopOperator.Metrics.Prometheus;

namespace DesktopOperator.Metrics.Aggregation;

/// <summary>
/// The samples of one metric name gathered during one scrape, possibly from several instruments with that name
/// (one meter name created twice, say): counters are summed per label set, histograms with equal bounds are
/// merged, and otherwise the first instrument's sample is kept, so the output never repeats a series.
/// Used by one scrape only: not thread-safe.
/// </summary>
internal sealed class MetricFamily(string name, string help, PrometheusMetricType type)
{
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HistogramSnapshot> _histograms = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public PrometheusMetricType Type { get; } = type;

    public bool IsEmpty => _values.Count == 0 && _histograms.Count == 0;

    public void AddValue(LabelSet labels, double value, bool sumDuplicates)
    {
        var key = labels.Text;
        if (_values.TryGetValue(key, out var existing))
        {
            if (sumDuplicates)
            {
                _values[key] = existing + value;
            }

            return;
        }

        _values[key] = value;
    }

    public void AddHistogram(LabelSet labels, HistogramSnapshot histogram)
    {
        var key = labels.Text;
        if (_histograms.TryGetValue(key, out var existing))
        {
            if (existing.HasSameBounds(histogram))
            {
                _histograms[key] = existing.Merge(histogram);
            }

            return;
        }

        _histograms[key] = histogram;
    }

    /// <summary>Writes HELP, TYPE and the samples, series ordered by their label text (ordinal).</summary>
    public void WriteTo(StringBuilder builder)
    {
        builder.Append("# HELP ").Append(Name).Append(' ');
        PrometheusText.AppendHelp(builder, help);
        builder.Append('\n');
        builder.Append("# TYPE ").Append(Name).Append(' ').Append(TypeName(Type)).Append('\n');

        foreach (var labels in _values.Keys.Order(StringComparer.Ordinal))
        {
            AppendSample(builder, Name, labels, extraLabel: null, PrometheusText.FormatDouble(_values[labels]));
        }

        foreach (var labels in _histograms.Keys.Order(StringComparer.Ordinal))
        {
            var histogram = _histograms[labels];
            long cumulative = 0;
            for (var i = 0; i < histogram.Bounds.Length; i++)
            {
                cumulative += histogram.BucketCounts[i];
                var le = "le=\"" + PrometheusText.FormatDouble(histogram.Bounds[i]) + "\"";
                AppendSample(builder, Name + "_bucket", labels, le, PrometheusText.FormatDouble(cumulative));
            }

            AppendSample(builder, Name + "_bucket", labels, "le=\"+Inf\"", PrometheusText.FormatDouble(histogram.Count));
            AppendSample(builder, Name + "_sum", labels, extraLabel: null, PrometheusText.FormatDouble(histogram.Sum));
            AppendSample(builder, Name + "_count", labels, extraLabel: null, PrometheusText.FormatDouble(histogram.Count));
        }
    }

    private static void AppendSample(StringBuilder builder, string name, string labels, string? extraLabel, string value)
    {
        builder.Append(name);
        if (labels.Length > 0 || extraLabel is not null)
        {
            builder.Append('{').Append(labels);
            if (extraLabel is not null)
            {
                builder.Append(labels.Length > 0 ? "," : string.Empty).Append(extraLabel);
            }

            builder.Append('}');
        }

        builder.Append(' ').Append(value).Append('\n');
    }

    private static string TypeName(PrometheusMetricType type) => type switch
    {
        PrometheusMetricType.Counter => "counter",
        PrometheusMetricType.Histogram => "histogram",
        _ => "gauge",
    };
}
