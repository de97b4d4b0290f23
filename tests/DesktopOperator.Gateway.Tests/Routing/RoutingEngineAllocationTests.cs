using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using DesktopOperator.Gateway.Sessions;
using Xunit.Abstractions;
using static DesktopOperator.Gateway.Tests.Routing.TestPools;

namespace DesktopOperator.Gateway.Tests.Routing;

/// <summary>
/// Decide allocates only its answer (the decision, its target and reason) whatever the pool size: the per-host and
/// per-route loops use stack or pooled buffers and no LINQ, enumerators or closures.
/// </summary>
public sealed class RoutingEngineAllocationTests(ITestOutputHelper output)
{
    private const long AnswerBytes = 512;

    [Theory]
    [InlineData(BalancingStrategyNames.LeastSessions, 20)]
    [InlineData(BalancingStrategyNames.RoundRobin, 20)]
    [InlineData(BalancingStrategyNames.Random, 20)]
    [InlineData(BalancingStrategyNames.SourceHash, 20)]
    [InlineData(BalancingStrategyNames.LeastSessions, 300)]
    [InlineData(BalancingStrategyNames.SourceHash, 300)]
    public void Decide_NewRoute_AllocatesOnlyTheAnswer(string strategy, int hosts)
    {
        var pool = Pool(hosts: hosts, sessionsPerHost: 1000, strategy: strategy);
        RouteRecord[] routes = [.. Enumerable.Range(0, 5000).Select(i => Route($"user{i}", $"h{(i % hosts) + 1}"))];
        var health = new TestHealthView();
        var state = new BalancingState(new Random(1));
        var request = Request("newcomer");
        string[] excluded = [];

        var allocated = Measure(() => RoutingEngine.Decide(pool, routes, health, request, excluded, state));

        Assert.InRange(allocated, 1, AnswerBytes);
    }

    [Fact]
    public void Decide_ExistingRoute_AllocatesOnlyTheAnswer()
    {
        var pool = Pool(hosts: 20, sessionsPerHost: 1000);
        RouteRecord[] routes = [.. Enumerable.Range(0, 5000).Select(i => Route($"user{i}", $"h{(i % 20) + 1}"))];
        var health = new TestHealthView();
        var state = new BalancingState(new Random(1));
        var request = Request("user4321");
        string[] excluded = [];

        var allocated = Measure(() => RoutingEngine.Decide(pool, routes, health, request, excluded, state));

        Assert.InRange(allocated, 1, AnswerBytes);
    }

    private long Measure(Func<RoutingDecision> decide)
    {
        // Warm up: JIT, ArrayPool buckets, lazily built caches.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(RoutingResult.Routed, decide().Result);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var decision = decide();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(RoutingResult.Routed, decision.Result);
        output.WriteLine($"{allocated} bytes allocated: {decision.Reason}");
        return allocated;
    }
}
