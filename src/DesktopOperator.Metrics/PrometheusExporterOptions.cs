namespace DesktopOperator.Metrics;

/// <summary>What <see cref="PrometheusMetricsExporter"/> listens to and how much it may hold.</summary>
internal sealed class PrometheusExporterOptions
{
    /// <summary>
    /// Meter names to export: an exact name (<c>DesktopOperator.Gateway</c>) or a prefix ending in <c>*</c>
    /// (<c>DesktopOperator.*</c>, which also matches <c>DesktopOperator</c> itself). Matching is ordinal.
    /// </summary>
    public IReadOnlyList<string> MeterNames { get; init; } = ["DesktopOperator.*"];

    /// <summary>
    /// Label sets kept per instrument. Measurements for further label sets are folded into one series labelled
    /// <c>otel_metric_overflow="true"</c> (OpenTelemetry's cardinality-limit convention), so memory stays bounded
    /// whatever the tag values are.
    /// </summary>
    public int MaxSeriesPerInstrument { get; init; } = 2000;

    internal bool Matches(string meterName)
    {
        foreach (var pattern in MeterNames)
        {
            if (pattern.EndsWith('*'))
            {
                var prefix = pattern.AsSpan(0, pattern.Length - 1);
                if (meterName.AsSpan().StartsWith(prefix, StringComparison.Ordinal)
                    || (prefix.EndsWith(".") && meterName.AsSpan().SequenceEqual(prefix[..^1])))
                {
                    return true;
                }
            }
            else if (string.Equals(pattern, meterName, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
