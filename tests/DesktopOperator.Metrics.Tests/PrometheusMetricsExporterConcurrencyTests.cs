using System.Globalization;

namespace DesktopOperator.Metrics.Tests;

public sealed class PrometheusMetricsExporterConcurrencyTests
{
    [Fact]
    public async Task ParallelMeasurementsWhileScraping_TotalsExact()
    {
        const int Writers = 4;
        const int PerWriter = 50_000;
        using var scope = new MeterScope();
        var counter = scope.Meter.CreateCounter<long>("ops");
        var histogram = scope.Meter.CreateHistogram<double>("latency", "s");
        var pools = new[] { "a", "b", "c" };

        using var stop = new CancellationTokenSource();
        var scrapes = 0;
        var scraper = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var text = await scope.ScrapeAsync();
                AssertHistogramConsistent(text);
                Interlocked.Increment(ref scrapes);
            }
        });
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                var pool = new KeyValuePair<string, object?>("pool", pools[i % pools.Length]);
                counter.Add(1, pool);
                histogram.Record(0.001 * (i % 7), pool);
            }
        })).ToArray();

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await scraper.WaitAsync(TimeSpan.FromSeconds(30));

        var samples = await scope.SamplesAsync();
        var totalOps = samples.Where(s => s.StartsWith("ops_total{")).Sum(ValueOf);
        var totalCount = samples.Where(s => s.StartsWith("latency_seconds_count{")).Sum(ValueOf);
        Assert.Equal(Writers * PerWriter, totalOps);
        Assert.Equal(Writers * PerWriter, totalCount);
        Assert.True(Volatile.Read(ref scrapes) > 0);
    }

    [Fact]
    public async Task ConcurrentScrapes_ObservablesConsistent()
    {
        using var scope = new MeterScope();
        scope.Meter.CreateObservableCounter("observed", () => Enumerable.Range(0, 20).Select(i => new System.Diagnostics.Metrics.Measurement<int>(i, new KeyValuePair<string, object?>("i", i.ToString("D2", CultureInfo.InvariantCulture)))));

        var texts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(scope.ScrapeAsync)));

        Assert.All(texts, t => Assert.Equal(texts[0], t));
        Assert.Contains("observed_total{i=\"19\"} 19\n", texts[0]);
    }

    private static double ValueOf(string sample) =>
        double.Parse(sample[(sample.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);

    // Whatever moment a scrape catches, +Inf bucket == _count and buckets never decrease.
    private static void AssertHistogramConsistent(string text)
    {
        var lines = text.Split('\n');
        double previous = 0;
        string? series = null;
        foreach (var line in lines.Where(l => l.StartsWith("latency_seconds_")))
        {
            var labels = line[line.IndexOf('{')..line.IndexOf('}')];
            var pool = labels.Split(',')[0];
            if (line.StartsWith("latency_seconds_bucket"))
            {
                if (pool != series)
                {
                    series = pool;
                    previous = 0;
                }

                Assert.True(ValueOf(line) >= previous, line);
                previous = ValueOf(line);
            }
            else if (line.StartsWith("latency_seconds_count"))
            {
                Assert.Equal(previous, ValueOf(line));
            }
        }
    }
}
