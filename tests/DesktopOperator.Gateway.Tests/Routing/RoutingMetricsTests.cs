using System.Diagnostics.Metrics;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Gateway.Tests.Sessions;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Routing;

public sealed class RoutingMetricsTests
{
    [Fact]
    public async Task Decisions_CountedByPoolAndResultWithoutUserLabels()
    {
        using var harness = new RouterHarness(Pool(hosts: 1, sessionsPerHost: 1));
        using var collector = new Collector(harness.Metrics.Meter);

        await harness.RouteAsync(Request("alice"));
        await harness.RouteAsync(Request("alice"));
        await harness.RouteAsync(Request("bob"));

        var decisions = collector.Measurements.Where(m => m.Name == "gateway_routing_decisions_total").ToList();
        Assert.Equal(2, decisions.Where(m => m.Tags["result"] == "Routed").Sum(m => m.Value));
        Assert.Equal(1, decisions.Where(m => m.Tags["result"] == "RejectedFull").Sum(m => m.Value));
        Assert.All(collector.Measurements, m => Assert.Equal(Key, m.Tags["pool"]));
        Assert.All(collector.Measurements, m => Assert.Subset(new HashSet<string> { "pool", "result", "mode", "phase" }, m.Tags.Keys.ToHashSet()));
    }

    [Fact]
    public void Previews_CountedWithModePreview_AndStoreNothing()
    {
        using var harness = new RouterHarness(Pool(hosts: 1, sessionsPerHost: 1));
        using var collector = new Collector(harness.Metrics.Meter);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(RoutingResult.Routed, harness.Router.Preview(Request($"anon-{i}")).Result);
        }

        Assert.Empty(harness.Store.List(Key));
        var decisions = collector.Measurements.Where(m => m.Name == "gateway_routing_decisions_total" && m.Value > 0).ToList();
        Assert.Equal(3, decisions.Where(m => m.Tags["mode"] == "preview" && m.Tags["result"] == "Routed").Sum(m => m.Value));
        Assert.DoesNotContain(decisions, m => m.Tags["mode"] == "route");
    }

    [Fact]
    public async Task Gauges_RoutesByPhaseAndActiveSessions()
    {
        using var harness = new RouterHarness(Pool());
        using var collector = new Collector(harness.Metrics.Meter);
        var alice = await harness.RouteAsync(Request("alice"));
        using var session = harness.Router.BeginSession(Request("alice"), alice);
        var bob = await harness.RouteAsync(Request("bob"));
        harness.Router.BeginSession(Request("bob"), bob).Dispose();
        await harness.RouteAsync(Request("carol"));

        collector.Listener.RecordObservableInstruments();

        var routes = collector.Measurements.Where(m => m.Name == "gateway_routes").ToDictionary(m => m.Tags["phase"], m => m.Value);
        Assert.Equal(Enum.GetNames<SessionRoutePhase>().Length, routes.Count);
        Assert.Equal((1, 1, 1, 0), (routes["Active"], routes["Disconnected"], routes["Bound"], routes["Expired"]));
        Assert.Equal(1, collector.Measurements.Single(m => m.Name == "gateway_sessions_active").Value);
    }

    private sealed record Recorded(string Name, long Value, Dictionary<string, string> Tags);

    private sealed class Collector : IDisposable
    {
        public Collector(Meter meter)
        {
            Listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            Listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                var labels = new Dictionary<string, string>();
                foreach (var tag in tags)
                {
                    labels[tag.Key] = tag.Value?.ToString() ?? "";
                }

                lock (Measurements)
                {
                    Measurements.Add(new Recorded(instrument.Name, value, labels));
                }
            });
            Listener.Start();
        }

        public MeterListener Listener { get; } = new();

        public List<Recorded> Measurements { get; } = [];

        public void Dispose() => Listener.Dispose();
    }
}
