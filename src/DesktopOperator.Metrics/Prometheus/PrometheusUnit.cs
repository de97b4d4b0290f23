namespace DesktopOperator.Metrics.Prometheus;

/// <summary>
/// A UCUM unit (as written by <c>System.Diagnostics.Metrics</c> instruments) resolved to the Prometheus base unit
/// suffix and the conversion of measurements into that base unit (<c>ms</c> becomes seconds ÷ 1000), because
/// Prometheus names carry base units only (promtool flags <c>_milliseconds</c>). Sub-units divide rather than
/// multiply by a fraction so that 7 ms reads 0.007, not 0.007000000000000001.
/// </summary>
internal readonly record struct PrometheusUnit(string? Suffix, double Multiplier, double Divisor = 1)
{
    public static readonly PrometheusUnit None = new(null, 1);

    public double ToBase(double value) => value * Multiplier / Divisor;

    public static PrometheusUnit Resolve(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit) || unit == "1")
        {
            return None;
        }

        // Curly-brace annotations ("{connection}") are counts: no suffix.
        if (unit.StartsWith('{') && unit.EndsWith('}'))
        {
            return None;
        }

        var slash = unit.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < unit.Length - 1)
        {
            var numerator = Resolve(unit[..slash]);
            var denominator = Resolve(unit[(slash + 1)..]);
            var per = Singular(denominator.Suffix ?? PrometheusNaming.SanitizeMetricName(unit[(slash + 1)..]));
            var top = numerator.Suffix ?? string.Empty;
            return new((top.Length == 0 ? string.Empty : top + "_") + "per_" + per, numerator.Multiplier * denominator.Divisor, numerator.Divisor * denominator.Multiplier);
        }

        return unit switch
        {
            "s" => new("seconds", 1),
            "ms" => new("seconds", 1, 1e3),
            "us" or "μs" => new("seconds", 1, 1e6),
            "ns" => new("seconds", 1, 1e9),
            "min" => new("seconds", 60),
            "h" => new("seconds", 3600),
            "d" => new("seconds", 86400),
            "By" => new("bytes", 1),
            "KiBy" => new("bytes", 1024),
            "MiBy" => new("bytes", 1024 * 1024),
            "GiBy" => new("bytes", 1024 * 1024 * 1024),
            "KBy" => new("bytes", 1e3),
            "MBy" => new("bytes", 1e6),
            "GBy" => new("bytes", 1e9),
            "bit" => new("bits", 1),
            "%" => new("percent", 1),
            "Hz" => new("hertz", 1),
            "m" => new("meters", 1),
            "V" => new("volts", 1),
            "A" => new("amperes", 1),
            "J" => new("joules", 1),
            "W" => new("watts", 1),
            "g" => new("grams", 1),
            "Cel" => new("celsius", 1),
            _ => new(PrometheusNaming.SanitizeMetricName(unit).Trim('_').ToLowerInvariant() is { Length: > 0 } s ? s : null, 1),
        };
    }

    private static string Singular(string suffix) => suffix switch
    {
        "seconds" => "second",
        "bytes" => "byte",
        "bits" => "bit",
        "meters" => "meter",
        _ => suffix,
    };
}
