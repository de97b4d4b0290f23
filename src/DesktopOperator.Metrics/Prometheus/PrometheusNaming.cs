using System.Text;

namespace DesktopOperator.Metrics.Prometheus;

/// <summary>
/// Metric and label names: our instruments are already named Prometheus-style (<c>gateway_connections</c>);
/// this only makes any name legal and adds what the conventions require (base unit suffix, <c>_total</c> on
/// counters, and no <c>_total</c> on anything else, which promtool lint rejects).
/// </summary>
internal static class PrometheusNaming
{
    private const string TotalSuffix = "_total";

    public static string GetMetricName(string instrumentName, PrometheusUnit unit, PrometheusMetricType type)
    {
        var name = SanitizeMetricName(instrumentName);
        var hadTotal = name.EndsWith(TotalSuffix, StringComparison.Ordinal) && name.Length > TotalSuffix.Length;
        if (hadTotal)
        {
            name = name[..^TotalSuffix.Length];
        }

        if (unit.Suffix is { } suffix && !name.EndsWith("_" + suffix, StringComparison.Ordinal) && name != suffix)
        {
            name = name + "_" + suffix;
        }

        return type == PrometheusMetricType.Counter ? name + TotalSuffix : name;
    }

    /// <summary>Metric names match <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; anything else (<c>.</c>, <c>-</c>, …) becomes <c>_</c>.</summary>
    public static string SanitizeMetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>Label names match <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    public static string SanitizeLabelName(string name) => Sanitize(name, allowColon: false);

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        if (IsValid(name, allowColon))
        {
            return name;
        }

        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(IsNameChar(c, allowColon) ? c : '_');
        }

        return builder.ToString();
    }

    private static bool IsValid(string name, bool allowColon)
    {
        if (char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsNameChar(c, allowColon))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNameChar(char c, bool allowColon) => char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
}
