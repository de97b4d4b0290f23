using System.Globalization;
using System.Text;

namespace DesktopOperator.Benchmarks.Http;

/// <summary>
/// One proxy's figures of one round, as named rows in a fixed order (the report's order), plus notes on what failed;
/// the medians over rounds, and the Markdown table with the gateway/nginx ratios.
/// </summary>
internal sealed class HttpFigures(string proxy)
{
    public string Proxy { get; } = proxy;

    public OrderedDictionary<string, double> Rows { get; } = new(StringComparer.Ordinal);

    public List<string> Notes { get; } = [];

    /// <summary>Failed requests (wrk's socket errors and non-2xx/3xx answers) and failed WebSocket connections.</summary>
    public long Errors { get; private set; }

    /// <summary>Adds the rows of a requests or messages scenario: rate and CPU per unit.</summary>
    public void AddRate(string scenario, string unit, ScenarioResult? result)
    {
        if (result is null)
        {
            return;
        }

        Rows[$"{scenario}: {unit}/s"] = result.UnitsPerSecond;
        AddOptional($"{scenario}: CPU user per {unit} (us)", result.UserMicrosecondsPerUnit);
        AddOptional($"{scenario}: CPU kernel per {unit} (us)", result.KernelMicrosecondsPerUnit);
        Errors += result.Errors;
    }

    /// <summary>Adds the rows of a throughput scenario: MiB/s and CPU per GiB.</summary>
    public void AddThroughput(string scenario, ScenarioResult? result)
    {
        if (result is null)
        {
            return;
        }

        Rows[$"{scenario}: MiB/s"] = result.MebibytesPerSecond;
        AddOptional($"{scenario}: CPU user per GiB (s)", result.UserSecondsPerGiB);
        AddOptional($"{scenario}: CPU kernel per GiB (s)", result.KernelSecondsPerGiB);
        Errors += result.Errors;
    }

    public string Summary() =>
        string.Join(", ", Rows.Select(r => $"{r.Key} {Format(r.Value)}")) + $", errors {Errors}" + string.Concat(Notes.Select(n => "; " + n));

    public static HttpFigures Median(IReadOnlyList<HttpFigures> rounds)
    {
        var median = new HttpFigures(rounds[0].Proxy);
        foreach (var key in rounds.SelectMany(r => r.Rows.Keys).Distinct())
        {
            var values = rounds.Where(r => r.Rows.ContainsKey(key)).Select(r => r.Rows[key]).Order().ToList();
            median.Rows[key] = values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
        }

        median.Notes.AddRange(rounds.SelectMany(r => r.Notes));
        median.Errors = rounds.Sum(r => r.Errors);
        return median;
    }

    public static string Render(HttpFigures baseline, HttpFigures candidate)
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"| Metric | {baseline.Proxy} (baseline) | {candidate.Proxy} | {candidate.Proxy}/{baseline.Proxy} |")
            .AppendLine("|---|---:|---:|---:|");
        foreach (var key in baseline.Rows.Keys.Concat(candidate.Rows.Keys).Distinct())
        {
            var b = baseline.Rows.TryGetValue(key, out var x) ? x : (double?)null;
            var c = candidate.Rows.TryGetValue(key, out var y) ? y : (double?)null;
            var ratio = b is > 0 && c is { } cv ? (cv / b.Value).ToString("F2", CultureInfo.InvariantCulture) + "x" : "-";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {key} | {Format(b)} | {Format(c)} | {ratio} |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| Errors, all rounds | {baseline.Errors} | {candidate.Errors} | - |");
        foreach (var note in baseline.Notes.Concat(candidate.Notes))
        {
            text.AppendLine().Append("Note: ").AppendLine(note);
        }

        return text.ToString();
    }

    private void AddOptional(string key, double? value)
    {
        if (value is { } v)
        {
            Rows[key] = v;
        }
    }

    private static string Format(double? value) => value switch
    {
        null => "-",
        >= 100 => value.Value.ToString("F0", CultureInfo.InvariantCulture),
        >= 1 => value.Value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("F3", CultureInfo.InvariantCulture),
    };
}
