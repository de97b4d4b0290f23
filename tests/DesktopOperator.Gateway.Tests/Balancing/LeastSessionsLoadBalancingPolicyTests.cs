using DesktopOperator.Gateway.Balancing;
using static DesktopOperator.Gateway.Tests.Balancing.PolicyHarness;

namespace DesktopOperator.Gateway.Tests.Balancing;

public sealed class LeastSessionsLoadBalancingPolicyTests
{
    private readonly LeastSessionsLoadBalancingPolicy _policy = new();
    private readonly BalancingState _state = new(new Random(1));

    [Fact]
    public void Name_LeastSessions()
    {
        Assert.Equal(BalancingStrategyNames.LeastSessions, _policy.Name);
    }

    [Fact]
    public void Pick_EqualWeights_FewestSessions()
    {
        Assert.Equal("h1", Pick(_policy, Pool(1, 1, 1), "alice", _state, [4, 2, 3]));
    }

    [Fact]
    public void Pick_Weights_LowestLoadAfterThisSessionPerWeight()
    {
        // h0: (2+1)/2 = 1.5 < h1: (1+1)/1 = 2; then h0: (4+1)/2 = 2.5 > h1: 2.
        Assert.Equal("h0", Pick(_policy, Pool(2, 1), "alice", _state, [2, 1]));
        Assert.Equal("h1", Pick(_policy, Pool(2, 1), "alice", _state, [4, 1]));
    }

    [Fact]
    public void Pick_EmptyPool_HeavierHostFirst()
    {
        Assert.Equal("h1", Pick(_policy, Pool(1, 3, 1), "alice", _state));
    }

    [Fact]
    public void Pick_OnlyCandidates()
    {
        Assert.Equal("h2", Pick(_policy, Pool(1, 1, 1), "alice", _state, [0, 0, 5], candidates: [2]));
    }

    [Fact]
    public void Pick_Ties_DeterministicPerKeyAndSpreadAcrossKeys()
    {
        var pool = Pool(1, 1, 1, 1);
        var counts = new Dictionary<string, int>();
        foreach (var key in Keys(400))
        {
            var first = Pick(_policy, pool, key, _state);
            Assert.Equal(first, Pick(_policy, pool, key, new BalancingState(new Random(99))));
            counts[first] = counts.GetValueOrDefault(first) + 1;
        }

        Assert.Equal(4, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 60, 140));
    }

    [Fact]
    public void Pick_Sequence_KeepsLoadProportionalToWeight()
    {
        var pool = Pool(1, 2, 3);
        var sessions = new int[3];
        foreach (var key in Keys(600))
        {
            sessions[pool.IndexOf(Pick(_policy, pool, key, _state, sessions))]++;
        }

        Assert.Equal([100, 200, 300], sessions);
    }
}
