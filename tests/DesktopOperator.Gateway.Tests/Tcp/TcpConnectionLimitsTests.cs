using DesktopOperator.Gateway.Tcp;

namespace DesktopOperator.Gateway.Tests.Tcp;

public sealed class TcpConnectionLimitsTests
{
    [Fact]
    public void TryEnterHost_AtLimit_RefusedUntilOneExits()
    {
        var limits = new TcpConnectionLimits(maxPerPool: 0, maxPerHost: 2);

        Assert.True(limits.TryEnterHost("a"));
        Assert.True(limits.TryEnterHost("a"));
        Assert.False(limits.TryEnterHost("a"));
        Assert.True(limits.TryEnterHost("b"));
        limits.ExitHost("a");
        Assert.True(limits.TryEnterHost("a"));
        Assert.Equal(2, limits.HostConnections("a"));
    }

    [Fact]
    public void TryEnterPool_ZeroLimit_Unlimited()
    {
        var limits = TcpConnectionLimits.Unlimited;

        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(limits.TryEnterPool());
        }

        Assert.Equal(10_000, limits.PoolConnections);
    }

    [Fact]
    public void TryEnterPool_ConcurrentCallers_NeverExceedLimit()
    {
        var limits = new TcpConnectionLimits(maxPerPool: 100, maxPerHost: 0);
        var admitted = 0;

        Parallel.For(0, 10_000, _ =>
        {
            if (limits.TryEnterPool())
            {
                Interlocked.Increment(ref admitted);
            }
        });

        Assert.Equal(100, admitted);
        Assert.Equal(100, limits.PoolConnections);
    }
}
