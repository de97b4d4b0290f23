using System.Diagnostics.Metrics;
using System.Text;

namespace DesktopOperator.Metrics.Tests;

public sealed class PrometheusMetricsExporterTests
{
    [Fact]
    public async Task Counter_AddsPerLabelSet_WritesTotalCounter()
    {
        using var scope = new MeterScope();
        var counter = scope.Meter.CreateCounter<long>("gateway_connections", description: "Connections accepted.");
        counter.Add(2, new("pool", "a"), new("protocol", "rdp"));
        counter.Add(3, new("protocol", "rdp"), new("pool", "a"));
        counter.Add(1, new KeyValuePair<string, object?>("pool", "b"), new("protocol", "vnc"));

        var text = await scope.ScrapeAsync();

        Assert.Equal(
            "# HELP gateway_connections_total Connections accepted.\n" +
            "# TYPE gateway_connections_total counter\n" +
            "gateway_connections_total{pool=\"a\",protocol=\"rdp\"} 5\n" +
            "gateway_connections_total{pool=\"b\",protocol=\"vnc\"} 1\n",
            text);
    }

    [Fact]
    public async Task Counter_NegativeIncrement_Ignored()
    {
        using var scope = new MeterScope();
        var counter = scope.Meter.CreateCounter<int>("c");
        counter.Add(4);
        counter.Add(-3);

        Assert.Equal(["c_total 4"], await scope.SamplesAsync());
    }

    [Fact]
    public async Task UpDownCounter_SumsBothWays_WritesGauge()
    {
        using var scope = new MeterScope();
        var counter = scope.Meter.CreateUpDownCounter<int>("gateway_sessions_active");
        counter.Add(3);
        counter.Add(-1);

        var text = await scope.ScrapeAsync();

        Assert.Contains("# TYPE gateway_sessions_active gauge\n", text);
        Assert.EndsWith("gateway_sessions_active 2\n", text);
    }

    [Fact]
    public async Task Gauge_KeepsLastValue()
    {
        using var scope = new MeterScope();
        var gauge = scope.Meter.CreateGauge<double>("temperature", "Cel");
        gauge.Record(20.5, new KeyValuePair<string, object?>("room", "a"));
        gauge.Record(19.25, new KeyValuePair<string, object?>("room", "a"));

        var text = await scope.ScrapeAsync();

        Assert.Contains("# TYPE temperature_celsius gauge\n", text);
        Assert.Contains("temperature_celsius{room=\"a\"} 19.25\n", text);
    }

    [Fact]
    public async Task ObservableInstruments_CollectedAtScrape_OnlyCurrentLabelSets()
    {
        using var scope = new MeterScope();
        var depth = 7;
        var pools = new List<string> { "a", "b" };
        scope.Meter.CreateObservableGauge("workqueue_depth", () => new Measurement<int>(depth, new KeyValuePair<string, object?>("name", "pools")));
        scope.Meter.CreateObservableCounter("reconciles", () => pools.Select(p => new Measurement<long>(10, new KeyValuePair<string, object?>("pool", p))));
        scope.Meter.CreateObservableUpDownCounter("routes", () => -2.5);

        Assert.Equal(
            ["reconciles_total{pool=\"a\"} 10", "reconciles_total{pool=\"b\"} 10", "routes -2.5", "workqueue_depth{name=\"pools\"} 7"],
            await scope.SamplesAsync());

        depth = 3;
        pools.Remove("a");

        Assert.Equal(
            ["reconciles_total{pool=\"b\"} 10", "routes -2.5", "workqueue_depth{name=\"pools\"} 3"],
            await scope.SamplesAsync());
        var text = await scope.ScrapeAsync();
        Assert.Contains("# TYPE reconciles_total counter\n", text);
        Assert.Contains("# TYPE routes gauge\n", text);
        Assert.Contains("# TYPE workqueue_depth gauge\n", text);
    }

    [Fact]
    public async Task Histogram_DefaultSecondsBuckets_CumulativeWithSumAndCount()
    {
        using var scope = new MeterScope();
        var histogram = scope.Meter.CreateHistogram<double>("connect_duration", "s", "Connect latency.");
        foreach (var value in new[] { 0.001, 0.005, 0.02, 0.3, 12.0 })
        {
            histogram.Record(value, new KeyValuePair<string, object?>("pool", "a"));
        }

        var samples = await scope.SamplesAsync();

        Assert.Equal(
            [
                "connect_duration_seconds_bucket{pool=\"a\",le=\"0.005\"} 2",
                "connect_duration_seconds_bucket{pool=\"a\",le=\"0.01\"} 2",
                "connect_duration_seconds_bucket{pool=\"a\",le=\"0.025\"} 3",
                "connect_duration_seconds_bucket{pool=\"a\",le=\"0.05\"} 3",
                "connect_duration_seconds_bucket{pool=\"a\",le=\"0.1\"} 3",
                "connect_duration_seconds_bucket{pool=\"a\",le=\"0.25\"} 3",
                "connect_duration_seconds_bucket{pool=\"a\",le=\"0.5\"} 4",
                "connect_duration_seconds_bucket{pool=\"a\",le=\"1\"} 4",
                "connect_duration_seconds_bucket{pool=\"a\",le=\"2.5\"} 4",
                "connect_duration_seconds_bucket{pool=\"a\",le=\"5\"} 4",
                "connect_duration_seconds_bucket{pool=\"a\",le=\"10\"} 4",
                "connect_duration_seconds_bucket{pool=\"a\",le=\"+Inf\"} 5",
                "connect_duration_seconds_sum{pool=\"a\"} 12.326",
                "connect_duration_seconds_count{pool=\"a\"} 5",
            ],
            samples);
        Assert.Contains("# TYPE connect_duration_seconds histogram\n", await scope.ScrapeAsync());
    }

    [Fact]
    public async Task Histogram_AdvisedBoundaries_UsedAndScaledToBaseUnit()
    {
        using var scope = new MeterScope();
        var histogram = scope.Meter.CreateHistogram<int>(
            "rtt", "ms", description: null, tags: null,
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 10, 100] });
        histogram.Record(10);
        histogram.Record(50);
        histogram.Record(500);

        Assert.Equal(
            [
                "rtt_seconds_bucket{le=\"0.001\"} 0",
                "rtt_seconds_bucket{le=\"0.01\"} 1",
                "rtt_seconds_bucket{le=\"0.1\"} 2",
                "rtt_seconds_bucket{le=\"+Inf\"} 3",
                "rtt_seconds_sum 0.56",
                "rtt_seconds_count 3",
            ],
            await scope.SamplesAsync());
    }

    [Fact]
    public async Task Histogram_BytesWithoutAdvice_UsesByteBuckets()
    {
        using var scope = new MeterScope();
        scope.Meter.CreateHistogram<long>("message_size", "By").Record(100);

        var samples = await scope.SamplesAsync();

        Assert.Contains("message_size_bytes_bucket{le=\"64\"} 0", samples);
        Assert.Contains("message_size_bytes_bucket{le=\"256\"} 1", samples);
    }

    [Fact]
    public async Task LabelValues_Escaped_AndNonStringValuesFormattedInvariant()
    {
        using var scope = new MeterScope();
        var counter = scope.Meter.CreateCounter<int>("events");
        counter.Add(1, new("path", "C:\\a\"b\"\nc"), new("http.code", 200), new("ok", true), new("ratio", 0.5));

        Assert.Equal(["events_total{http_code=\"200\",ok=\"true\",path=\"C:\\\\a\\\"b\\\"\\nc\",ratio=\"0.5\"} 1"], await scope.SamplesAsync());
    }

    [Fact]
    public async Task LabelNames_CollidingAfterSanitising_WrittenOnce()
    {
        using var scope = new MeterScope();
        scope.Meter.CreateCounter<int>("events").Add(1, new("http.route", "a"), new("http_route", "b"));

        Assert.Equal(["events_total{http_route=\"a\"} 1"], await scope.SamplesAsync());
    }

    [Fact]
    public async Task Help_EscapedAndDefaulted()
    {
        using var scope = new MeterScope();
        scope.Meter.CreateCounter<int>("a", description: "line one\nback\\slash").Add(1);
        scope.Meter.CreateCounter<int>("b").Add(1);

        var text = await scope.ScrapeAsync();

        Assert.Contains("# HELP a_total line one\\nback\\\\slash\n", text);
        Assert.Contains($"# HELP b_total b (meter {scope.MeterName})\n", text);
    }

    [Fact]
    public async Task Output_SortedByNameThenLabels()
    {
        using var scope = new MeterScope();
        var zeta = scope.Meter.CreateUpDownCounter<int>("zeta");
        var alpha = scope.Meter.CreateUpDownCounter<int>("alpha");
        zeta.Add(1, new KeyValuePair<string, object?>("k", "b"));
        zeta.Add(1, new KeyValuePair<string, object?>("k", "a"));
        alpha.Add(1);

        Assert.Equal(["alpha 1", "zeta{k=\"a\"} 1", "zeta{k=\"b\"} 1"], await scope.SamplesAsync());
    }

    [Fact]
    public async Task SeriesLimit_ExtraLabelSetsFoldedIntoOverflowSeries()
    {
        using var scope = new MeterScope(maxSeries: 2);
        var counter = scope.Meter.CreateCounter<int>("requests");
        for (var i = 0; i < 10; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("user", "u" + i));
        }

        var samples = await scope.SamplesAsync();

        Assert.Equal(3, samples.Length);
        Assert.Contains("requests_total{otel_metric_overflow=\"true\"} 8", samples);
    }

    [Fact]
    public async Task MeterFilter_OtherMetersIgnored_PrefixMatches()
    {
        var id = Guid.NewGuid().ToString("N");
        using var ours = new Meter($"Scope{id}.Gateway");
        using var theirs = new Meter($"Other{id}");
        using var exporter = new PrometheusMetricsExporter(new PrometheusExporterOptions { MeterNames = [$"Scope{id}.*"] });
        ours.CreateCounter<int>("ours").Add(1);
        theirs.CreateCounter<int>("theirs").Add(1);

        var text = await exporter.CollectAsync(CancellationToken.None);

        Assert.Contains("ours_total 1", text);
        Assert.DoesNotContain("theirs", text);
    }

    [Fact]
    public async Task DisposedMeter_InstrumentsDisappear()
    {
        using var scope = new MeterScope();
        using var second = new Meter(scope.MeterName);
        second.CreateCounter<int>("gone").Add(1);
        scope.Meter.CreateCounter<int>("kept").Add(1);

        second.Dispose();

        Assert.Equal(["kept_total 1"], await scope.SamplesAsync());
    }

    [Fact]
    public async Task SameNameFromTwoMeters_CountersSummed_NoDuplicateSeries()
    {
        using var scope = new MeterScope();
        using var second = new Meter(scope.MeterName);
        scope.Meter.CreateCounter<int>("hits").Add(2);
        second.CreateCounter<int>("hits").Add(3);
        scope.Meter.CreateGauge<int>("level").Record(1);
        second.CreateGauge<int>("level").Record(9);

        var samples = await scope.SamplesAsync();

        Assert.Contains("hits_total 5", samples);
        Assert.Single(samples, s => s.StartsWith("level "));
    }

    [Fact]
    public async Task WriteAsync_Stream_Utf8WithoutBom()
    {
        using var scope = new MeterScope();
        scope.Meter.CreateCounter<int>("größe").Add(1, new KeyValuePair<string, object?>("name", "Zoë"));
        using var stream = new MemoryStream();

        await scope.Exporter.WriteAsync(stream, CancellationToken.None);

        var bytes = stream.ToArray();
        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Contains("gr__e_total{name=\"Zoë\"} 1\n", Encoding.UTF8.GetString(bytes));
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", PrometheusMetricsExporter.ContentType);
    }

    [Fact]
    public async Task WriteAsync_TextWriter_SameAsCollect()
    {
        using var scope = new MeterScope();
        scope.Meter.CreateCounter<int>("x").Add(1);
        using var writer = new StringWriter();

        await scope.Exporter.WriteAsync(writer, CancellationToken.None);

        Assert.Equal(await scope.ScrapeAsync(), writer.ToString());
    }

    [Fact]
    public async Task NoMeasurements_NoFamilyWritten()
    {
        using var scope = new MeterScope();
        scope.Meter.CreateCounter<int>("never");

        Assert.Equal(string.Empty, await scope.ScrapeAsync());
    }

    [Fact]
    public async Task Record_ExistingSeriesWithStringTags_AllocatesNothing()
    {
        using var scope = new MeterScope();
        var counter = scope.Meter.CreateCounter<long>("gateway_bytes", "By");
        var histogram = scope.Meter.CreateHistogram<double>("gateway_connect_duration", "s");
        KeyValuePair<string, object?> pool = new("pool", "office"), direction = new("direction", "upstream");
        counter.Add(1, pool, direction);
        histogram.Record(0.1, pool);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            counter.Add(1, direction, pool);
            histogram.Record(0.1, pool);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Contains("gateway_bytes_total{direction=\"upstream\",pool=\"office\"} 1001", await scope.SamplesAsync());
    }
}
