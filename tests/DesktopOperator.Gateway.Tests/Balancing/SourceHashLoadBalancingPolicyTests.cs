using DesktopOperator.Gateway.Balancing;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Routing;
using Xunit.Abstractions;
using static DesktopOperator.Gateway.Tests.Balancing.PolicyHarness;

namespace DesktopOperator.Gateway.Tests.Balancing;

/// <summary>
/// Consistent hashing over 10,000 keys. Tolerances: a key set of 10,000 gives a binomial standard deviation of about
/// 0.5 percentage points per share, so the stated +0.05 (moved fraction) and ±0.02 (weighted share) are 4σ or more.
/// </summary>
public sealed class SourceHashLoadBalancingPolicyTests(ITestOutputHelper output)
{
    private const int KeyCount = 10_000;
    private const double MoveTolerance = 0.05;
    private static readonly string[] AllKeys = Keys(KeyCount);
    private readonly SourceHashLoadBalancingPolicy _policy = new();
    private readonly BalancingState _state = new(new Random(1));

    [Fact]
    public void Pick_SameKey_SameHostEveryTimeAndState()
    {
        var pool = Pool(1, 1, 1, 1, 1);
        foreach (var key in AllKeys.Take(500))
        {
            Assert.Equal(Pick(_policy, pool, key, _state), Pick(_policy, pool, key, new BalancingState(new Random(5))));
        }
    }

    [Fact]
    public void Pick_CandidateOrderOrOtherHosts_DoNotMatter()
    {
        var pool = Pool(1, 1, 1, 1);
        foreach (var key in AllKeys.Take(500))
        {
            Assert.Equal(Pick(_policy, pool, key, _state, candidates: [0, 1, 2, 3]), Pick(_policy, pool, key, _state, candidates: [3, 1, 0, 2]));
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    public void Pick_AddOneHost_MovesAboutOneInNPlusOneOnlyToTheNewHost(int n)
    {
        var before = Assign(Pool("p", Ones(n)));
        var after = Assign(Pool("p", Ones(n + 1)));
        var added = $"h{n}";

        var moved = 0;
        for (var i = 0; i < KeyCount; i++)
        {
            if (before[i] != after[i])
            {
                moved++;
                Assert.Equal(added, after[i]);
            }
        }

        var fraction = moved / (double)KeyCount;
        output.WriteLine($"N={n} -> {n + 1}: {fraction:P2} of {KeyCount} keys moved (1/(N+1) = {1.0 / (n + 1):P2})");
        Assert.InRange(fraction, (1.0 / (n + 1)) - MoveTolerance, (1.0 / n) + MoveTolerance);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    public void Pick_RemoveOneHost_MovesOnlyItsKeysAboutOneInN(int n)
    {
        var pool = Pool("p", Ones(n));
        var removed = n / 2;
        var before = Assign(pool);
        var remaining = Enumerable.Range(0, n).Where(i => i != removed).ToArray();
        var after = Assign(pool, remaining);

        var moved = 0;
        for (var i = 0; i < KeyCount; i++)
        {
            if (before[i] != after[i])
            {
                moved++;
                Assert.Equal($"h{removed}", before[i]);
            }
        }

        output.WriteLine($"N={n} -> {n - 1}: {moved / (double)KeyCount:P2} of {KeyCount} keys moved (1/N = {1.0 / n:P2})");
        Assert.InRange(moved / (double)KeyCount, (1.0 / n) - MoveTolerance, (1.0 / n) + MoveTolerance);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(10)]
    public void Pick_EqualWeights_EvenDistribution(int n)
    {
        var counts = Assign(Pool("p", Ones(n))).GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(n, counts.Count);
        output.WriteLine($"N={n}: keys per host min {counts.Values.Min()} max {counts.Values.Max()} (expected {KeyCount / n})");
        var expected = KeyCount / (double)n;
        Assert.All(counts.Values, c => Assert.InRange(c, expected * 0.85, expected * 1.15));
    }

    [Fact]
    public void Pick_Weights_SharesProportional()
    {
        var counts = Assign(Pool(1, 2, 3, 4)).GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());

        for (var h = 0; h < 4; h++)
        {
            Assert.InRange(counts[$"h{h}"] / (double)KeyCount, ((h + 1) / 10.0) - 0.02, ((h + 1) / 10.0) + 0.02);
        }
    }

    [Fact]
    public void Pick_DoubleOneWeight_ItGainsProportionalShareFromOthersOnly()
    {
        var before = Assign(Pool(1, 1, 1, 1));
        var after = Assign(Pool(2, 1, 1, 1));

        var moved = 0;
        for (var i = 0; i < KeyCount; i++)
        {
            if (before[i] != after[i])
            {
                moved++;
                Assert.Equal("h0", after[i]);
            }
        }

        // h0's share goes from 1/4 to 2/5: 15% of keys move, all to h0.
        Assert.InRange(moved / (double)KeyCount, 0.15 - 0.02, 0.15 + 0.02);
        Assert.InRange(after.Count(h => h == "h0") / (double)KeyCount, 0.40 - 0.02, 0.40 + 0.02);
    }

    [Fact]
    public void Pick_PreferredHostNotCandidate_NextRankedSameEverywhere()
    {
        var pool = Pool(1, 1, 1, 1);
        foreach (var key in AllKeys.Take(300))
        {
            var first = pool.IndexOf(Pick(_policy, pool, key, _state));
            var rest = Enumerable.Range(0, 4).Where(i => i != first).ToArray();
            var second = Pick(_policy, pool, key, _state, candidates: rest);

            Assert.NotEqual(pool.Hosts[first].Name, second);
            Assert.Equal(second, Pick(_policy, pool, key, _state, candidates: [.. rest.Reverse()]));
        }
    }

    private string[] Assign(GatewayPool pool, int[]? candidates = null) =>
        [.. AllKeys.Select(k => Pick(_policy, pool, k, _state, candidates: candidates))];

    private static int[] Ones(int n) => [.. Enumerable.Repeat(1, n)];
}
