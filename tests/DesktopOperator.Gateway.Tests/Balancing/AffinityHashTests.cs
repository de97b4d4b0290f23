using DesktopOperator.Gateway.Balancing;

namespace DesktopOperator.Gateway.Tests.Balancing;

public sealed class AffinityHashTests
{
    // Pinned: every gateway replica, restart and version must map keys the same way. If this fails, the hash changed
    // and every source-hashed client would move to another host. Values checked against an independent Python
    // implementation of FNV-1a 64 over UTF-16LE bytes + fmix64.
    [Theory]
    [InlineData("", 0x3F1B627A970BEA3BUL)]
    [InlineData("alice", 0x19E0BF39853527C9UL)]
    [InlineData("10.0.0.1", 0xC1F599B8B2726558UL)]
    public void Hash_KnownInputs_KnownValues(string value, ulong expected)
    {
        Assert.Equal(expected, AffinityHash.Hash(value));
    }

    [Fact]
    public void Hash_NearbyKeys_DifferInAboutHalfTheBits()
    {
        var bits = 0;
        const int pairs = 1000;
        for (var i = 0; i < pairs; i++)
        {
            bits += (int)ulong.PopCount(AffinityHash.Hash($"10.0.0.{i}") ^ AffinityHash.Hash($"10.0.0.{i + 1}"));
        }

        Assert.InRange(bits / (double)pairs, 30, 34);
    }

    [Fact]
    public void ToUnitInterval_Extremes_StrictlyInsideZeroOne()
    {
        Assert.InRange(AffinityHash.ToUnitInterval(0), double.Epsilon, 0.5);
        Assert.True(AffinityHash.ToUnitInterval(ulong.MaxValue) < 1.0);
    }
}
