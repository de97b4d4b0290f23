using System.Globalization;
using System.Text;

namespace DesktopOperator.Metrics.Prometheus;

/// <summary>Escaping and number formatting of the Prometheus text format 0.0.4.</summary>
internal static class PrometheusText
{
    /// <summary>HELP text: only backslash and line feed are escaped.</summary>
    public static void AppendHelp(StringBuilder builder, string help)
    {
        foreach (var c in help)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '\n': builder.Append(@"\n"); break;
                default: builder.Append(c); break;
            }
        }
    }

    /// <summary>Label values: backslash, double quote and line feed are escaped.</summary>
    public static void AppendLabelValue(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': builder.Append(@"\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append(@"\n"); break;
                default: builder.Append(c); break;
            }
        }
    }

    /// <summary>
    /// Formats for Go's <c>strconv.ParseFloat</c> (what Prometheus parses with): shortest round-trip digits,
    /// invariant culture, <c>+Inf</c>/<c>-Inf</c>/<c>NaN</c>, a lower-case exponent only for very large or small
    /// magnitudes (<c>1e+21</c>, <c>1e-07</c>, as Go writes them). Whole numbers below 1e15 are written without
    /// exponent or decimal point so counters read naturally.
    /// </summary>
    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        if (value == Math.Floor(value) && Math.Abs(value) < 1e15)
        {
            // "-0" is a legal float but reads oddly; a zero is a zero.
            return value == 0 ? "0" : ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        return value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
    }

    public static void AppendDouble(StringBuilder builder, double value) => builder.Append(FormatDouble(value));
}
