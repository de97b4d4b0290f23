using DesktopOperator.Metrics.Prometheus;

namespace DesktopOperator.Metrics.Tests.Prometheus;

public sealed class PrometheusNamingTests
{
    [Theory]
    [InlineData("gateway_connections", null, "counter", "gateway_connections_total")]
    [InlineData("gateway_connections_total", null, "counter", "gateway_connections_total")]
    [InlineData("gateway.connections-opened", null, "counter", "gateway_connections_opened_total")]
    [InlineData("gateway_bytes", "By", "counter", "gateway_bytes_total")]
    [InlineData("gateway_bytes_total", "By", "counter", "gateway_bytes_total")]
    [InlineData("gateway_transferred", "By", "counter", "gateway_transferred_bytes_total")]
    [InlineData("gateway_connect_duration", "s", "histogram", "gateway_connect_duration_seconds")]
    [InlineData("gateway_connect_duration_seconds", "s", "histogram", "gateway_connect_duration_seconds")]
    [InlineData("gateway_connect_duration", "ms", "histogram", "gateway_connect_duration_seconds")]
    [InlineData("workqueue_depth", null, "gauge", "workqueue_depth")]
    [InlineData("workqueue_depth", "{item}", "gauge", "workqueue_depth")]
    [InlineData("workqueue_depth", "1", "gauge", "workqueue_depth")]
    [InlineData("sessions_total", null, "gauge", "sessions")]
    [InlineData("throughput", "By/s", "gauge", "throughput_bytes_per_second")]
    [InlineData("5xx", null, "gauge", "_5xx")]
    [InlineData("total", null, "counter", "total_total")]
    public void GetMetricName_Instrument_FollowsConventions(string name, string? unit, string type, string expected) =>
        Assert.Equal(expected, PrometheusNaming.GetMetricName(name, PrometheusUnit.Resolve(unit), Enum.Parse<PrometheusMetricType>(type, ignoreCase: true)));

    [Theory]
    [InlineData("pool", "pool")]
    [InlineData("http.route", "http_route")]
    [InlineData("a:b", "a_b")]
    [InlineData("1st", "_1st")]
    [InlineData("", "_")]
    [InlineData("größe", "gr__e")]
    public void SanitizeLabelName_Name_IsLegal(string name, string expected) =>
        Assert.Equal(expected, PrometheusNaming.SanitizeLabelName(name));

    [Fact]
    public void SanitizeMetricName_Colon_Kept() =>
        Assert.Equal("job:requests:rate5m", PrometheusNaming.SanitizeMetricName("job:requests:rate5m"));

    [Theory]
    [InlineData("s", "seconds", 1.0)]
    [InlineData("ms", "seconds", 0.001)]
    [InlineData("us", "seconds", 0.000001)]
    [InlineData("min", "seconds", 60.0)]
    [InlineData("By", "bytes", 1.0)]
    [InlineData("KiBy", "bytes", 1024.0)]
    [InlineData("%", "percent", 1.0)]
    public void Resolve_Unit_BaseUnitAndConversion(string unit, string suffix, double scale)
    {
        var resolved = PrometheusUnit.Resolve(unit);
        Assert.Equal(suffix, resolved.Suffix);
        Assert.Equal(scale, resolved.ToBase(1), 12);
    }

    [Fact]
    public void ToBase_Milliseconds_ExactDecimal()
    {
        var unit = PrometheusUnit.Resolve("ms");

        Assert.Equal("0.007", PrometheusText.FormatDouble(unit.ToBase(7)));
        Assert.Equal("0.3", PrometheusText.FormatDouble(unit.ToBase(300)));
    }

    [Fact]
    public void Resolve_Rate_ConvertsBothSides() => Assert.Equal(8000, PrometheusUnit.Resolve("By/ms").ToBase(8), 9);
}
