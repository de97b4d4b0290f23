using System.Text;
using DesktopOperator.Metrics.Prometheus;

namespace DesktopOperator.Metrics.Tests.Prometheus;

public sealed class PrometheusTextTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.0, "1")]
    [InlineData(-3.0, "-3")]
    [InlineData(0.005, "0.005")]
    [InlineData(2.5, "2.5")]
    [InlineData(123456789012345.0, "123456789012345")]
    [InlineData(1e15, "1000000000000000")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e-7, "1e-07")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void FormatDouble_Value_FormatsLikePrometheus(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.FormatDouble(value));

    [Fact]
    public void FormatDouble_NegativeZero_Zero() => Assert.Equal("0", PrometheusText.FormatDouble(-0.0));

    [Fact]
    public void FormatDouble_Roundtrips()
    {
        foreach (var value in new[] { Math.PI, 1.0 / 3, 1e300, -2.5e-300, 4503599627370497.0 })
        {
            Assert.Equal(value, double.Parse(PrometheusText.FormatDouble(value), System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void AppendHelp_BackslashAndNewline_Escaped()
    {
        var builder = new StringBuilder();
        PrometheusText.AppendHelp(builder, "a\\b\nc\"d");
        Assert.Equal("a\\\\b\\nc\"d", builder.ToString());
    }

    [Fact]
    public void AppendLabelValue_BackslashQuoteNewline_Escaped()
    {
        var builder = new StringBuilder();
        PrometheusText.AppendLabelValue(builder, "a\\b\nc\"d");
        Assert.Equal("a\\\\b\\nc\\\"d", builder.ToString());
    }
}
