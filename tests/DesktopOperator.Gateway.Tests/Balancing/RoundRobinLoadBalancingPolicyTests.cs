using DesktopOperator.Gateway.Balancing;
using static DesktopOperator.Gateway.Tests.Balancing.PolicyHarness;

namespace DesktopOperator.Gateway.Tests.Balancing;

public sealed class RoundRobinLoadBalancingPolicyTests
{
    private readonly RoundRobinLoadBalancingPolicy _policy = new();
    private readonly BalancingState _state = new(new Random(1));

    [Fact]
    public void Pick_EqualWeights_CyclesInHostOrder()
    {
        var pool = Pool(1, 1, 1);

        var picks = Enumerable.Range(0, 6).Select(_ => Pick(_policy, pool, "k", _state));

        Assert.Equal(["h0", "h1", "h2", "h0", "h1", "h2"], picks);
    }

    [Fact]
    public void Pick_Weights_SmoothInterleaving()
    {
        var pool = Pool(5, 1, 1);

        var picks = Enumerable.Range(0, 7).Select(_ => Pick(_policy, pool, "k", _state));

        // nginx's smooth weighted round robin sequence for 5/1/1.
        Assert.Equal(["h0", "h0", "h1", "h0", "h2", "h0", "h0"], picks);
    }

    [Fact]
    public void Pick_NonCandidate_Skipped()
    {
        var pool = Pool(1, 1, 1);

        var picks = Enumerable.Range(0, 4).Select(_ => Pick(_policy, pool, "k", _state, candidates: [0, 2]));

        Assert.Equal(["h0", "h2", "h0", "h2"], picks);
    }

    [Fact]
    public void Pick_StatePerPool()
    {
        var a = Pool("a", [1, 1]);
        var b = Pool("b", [1, 1]);

        Assert.Equal("h0", Pick(_policy, a, "k", _state));
        Assert.Equal("h0", Pick(_policy, b, "k", _state));
        Assert.Equal("h1", Pick(_policy, a, "k", _state));
    }

    [Fact]
    public void Pick_NewSnapshotOfSamePool_ContinuesCycle()
    {
        Assert.Equal("h0", Pick(_policy, Pool("p", [1, 1, 1]), "k", _state));

        Assert.Equal("h1", Pick(_policy, Pool("p", [1, 1, 1]), "k", _state));
    }

    [Fact]
    public void Pick_ManyPicks_ExactWeightShares()
    {
        var pool = Pool(3, 2, 1);
        var counts = new int[3];
        for (var i = 0; i < 600; i++)
        {
            counts[pool.IndexOf(Pick(_policy, pool, "k", _state))]++;
        }

        Assert.Equal([300, 200, 100], counts);
    }
}
