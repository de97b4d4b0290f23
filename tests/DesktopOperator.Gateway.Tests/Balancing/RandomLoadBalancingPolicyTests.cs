using DesktopOperator.Gateway.Balancing;
using static DesktopOperator.Gateway.Tests.Balancing.PolicyHarness;

namespace DesktopOperator.Gateway.Tests.Balancing;

public sealed class RandomLoadBalancingPolicyTests
{
    private readonly RandomLoadBalancingPolicy _policy = new();

    [Fact]
    public void Pick_SameSeed_SameSequence()
    {
        var pool = Pool(1, 2, 3, 4);

        var a = new BalancingState(new Random(42));
        var b = new BalancingState(new Random(42));

        Assert.Equal(
            Enumerable.Range(0, 50).Select(_ => Pick(_policy, pool, "k", a)).ToList(),
            Enumerable.Range(0, 50).Select(_ => Pick(_policy, pool, "k", b)).ToList());
    }

    [Fact]
    public void Pick_ManyPicks_SharesFollowWeights()
    {
        var pool = Pool(1, 2, 3, 4);
        var state = new BalancingState(new Random(7));
        var counts = new int[4];
        const int picks = 40_000;
        for (var i = 0; i < picks; i++)
        {
            counts[pool.IndexOf(Pick(_policy, pool, "k", state))]++;
        }

        for (var h = 0; h < 4; h++)
        {
            Assert.InRange(counts[h] / (double)picks, ((h + 1) / 10.0) - 0.015, ((h + 1) / 10.0) + 0.015);
        }
    }

    [Fact]
    public void Pick_OnlyCandidates()
    {
        var state = new BalancingState(new Random(3));
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal("h1", Pick(_policy, Pool(5, 1, 5), "k", state, candidates: [1]));
        }
    }
}
