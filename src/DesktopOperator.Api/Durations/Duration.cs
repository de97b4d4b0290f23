using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace DesktopOperator.Api.Durations;

/// <summary>
/// Go-style durations as the API carries them (<c>30s</c>, <c>1h30m</c>, <c>500ms</c>, <c>1.5h</c>), the syntax of
/// Go's <c>time.ParseDuration</c> and CEL's <c>duration()</c> without the sign: a sequence of decimal numbers, each
/// with a unit <c>h</c>, <c>m</c>, <c>s</c>, <c>ms</c>, <c>us</c> or <c>ns</c>; or a bare <c>0</c>.
/// </summary>
public static class Duration
{
    /// <summary>The schema pattern; <see cref="TryParse"/> accepts exactly the strings that match it (up to overflow).</summary>
    public const string Pattern = "^(0|([0-9]+(\\.[0-9]+)?(h|m|s|ms|us|ns))+)$";

    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a duration such as 30s, 5m or 1h30m.");

    public static bool TryParse([NotNullWhen(true)] string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (text == "0")
        {
            return true;
        }

        decimal totalTicks = 0;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            var number = text.AsSpan(start, i - start);
            if (number.IsEmpty || number[0] == '.' || number[^1] == '.' || number.Count('.') > 1 ||
                !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetterLower(text[i]))
            {
                i++;
            }

            var ticksPerUnit = text.AsSpan(unitStart, i - unitStart) switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" => TicksPerMicrosecond,
                "ns" => 0.01m,
                _ => -1m,
            };
            if (ticksPerUnit < 0)
            {
                return false;
            }

            if (amount > TimeSpan.MaxValue.Ticks / ticksPerUnit)
            {
                return false;
            }

            totalTicks += amount * ticksPerUnit;
            if (totalTicks > TimeSpan.MaxValue.Ticks)
            {
                return false;
            }
        }

        // TimeSpan has 100 ns ticks: shorter parts round down, as they can't be represented.
        value = TimeSpan.FromTicks((long)decimal.Truncate(totalTicks));
        return true;
    }

    /// <summary>
    /// The shortest Go form of <paramref name="value"/>: <c>1h30m</c>, <c>2s</c>, <c>1.5s</c>, <c>500ms</c>, <c>0s</c>.
    /// Zero parts are left out (<c>1h30s</c>); a value under one second uses ms, us or ns.
    /// </summary>
    public static string Format(TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Durations in the API are never negative.");
        }

        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return value.Ticks % TimeSpan.TicksPerMillisecond == 0
                ? $"{value.Ticks / TimeSpan.TicksPerMillisecond}ms"
                : value.Ticks % TicksPerMicrosecond == 0
                    ? $"{value.Ticks / TicksPerMicrosecond}us"
                    : $"{value.Ticks * 100}ns";
        }

        var text = new StringBuilder();
        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (value.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{value.Minutes}m");
        }

        var subMinuteTicks = value.Ticks % TimeSpan.TicksPerMinute;
        if (subMinuteTicks != 0)
        {
            var seconds = subMinuteTicks / (decimal)TimeSpan.TicksPerSecond;
            text.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('s');
        }

        return text.ToString();
    }
}
