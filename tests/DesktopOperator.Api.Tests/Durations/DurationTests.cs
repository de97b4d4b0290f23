using System.Text.RegularExpressions;
using DesktopOperator.Api.Durations;

namespace DesktopOperator.Api.Tests.Durations;

public sealed class DurationTests
{
    [Theory]
    [InlineData("30s", 30 * TimeSpan.TicksPerSecond)]
    [InlineData("5m", 5 * TimeSpan.TicksPerMinute)]
    [InlineData("8h", 8 * TimeSpan.TicksPerHour)]
    [InlineData("1h30m", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("1h0m0s", TimeSpan.TicksPerHour)]
    [InlineData("500ms", 500 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1.5h", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("2.25s", 2250 * TimeSpan.TicksPerMillisecond)]
    [InlineData("250us", 2500)]
    [InlineData("300ns", 3)]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("2m3s", 123 * TimeSpan.TicksPerSecond)]
    public void Parse_GoDuration_ReturnsTimeSpan(string text, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), Duration.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("s")]
    [InlineData("1d")]
    [InlineData("-5s")]
    [InlineData("+5s")]
    [InlineData("1.s")]
    [InlineData(".5s")]
    [InlineData("5 s")]
    [InlineData("5S")]
    [InlineData("1h 30m")]
    [InlineData("1.2.3s")]
    [InlineData("5m\n")]
    [InlineData("00")]
    [InlineData("99999999999999999999h")]
    public void TryParse_NotADuration_ReturnsFalse(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Duration.Parse(text));
    }

    [Theory]
    [InlineData("30s")]
    [InlineData("1h30m")]
    [InlineData("0")]
    [InlineData("1.5h")]
    [InlineData("1d")]
    [InlineData("5")]
    [InlineData("-5s")]
    [InlineData("1h 30m")]
    [InlineData("5m\n")]
    public void Pattern_AnyText_AgreesWithTryParse(string text)
    {
        // The schema's pattern (anchored as RE2 anchors it) and the C# parser must accept the same strings.
        var matches = Regex.IsMatch(text, Duration.Pattern.TrimEnd('$') + @"\z");
        Assert.Equal(Duration.TryParse(text, out _), matches);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(30 * TimeSpan.TicksPerSecond, "30s")]
    [InlineData(90 * TimeSpan.TicksPerMinute, "1h30m")]
    [InlineData(TimeSpan.TicksPerHour + 30 * TimeSpan.TicksPerSecond, "1h30s")]
    [InlineData(36 * TimeSpan.TicksPerHour, "36h")]
    [InlineData(500 * TimeSpan.TicksPerMillisecond, "500ms")]
    [InlineData(1500 * TimeSpan.TicksPerMillisecond, "1.5s")]
    [InlineData(2500, "250us")]
    [InlineData(3, "300ns")]
    public void Format_TimeSpan_ReturnsShortestGoForm(long ticks, string expected)
    {
        Assert.Equal(expected, Duration.Format(TimeSpan.FromTicks(ticks)));
    }

    [Theory]
    [InlineData(1L)]
    [InlineData(TimeSpan.TicksPerMillisecond * 1234)]
    [InlineData(TimeSpan.TicksPerDay * 3 + TimeSpan.TicksPerSecond * 7)]
    [InlineData(TimeSpan.TicksPerHour * 8 + TimeSpan.TicksPerMinute * 59 + TimeSpan.TicksPerMillisecond * 1)]
    public void Format_ThenParse_RoundTrips(long ticks)
    {
        var value = TimeSpan.FromTicks(ticks);
        Assert.Equal(value, Duration.Parse(Duration.Format(value)));
    }

    [Fact]
    public void Format_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Duration.Format(TimeSpan.FromSeconds(-1)));
    }
}
