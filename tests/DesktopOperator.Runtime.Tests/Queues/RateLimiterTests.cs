using DesktopOperator.Runtime.Queues;
using DesktopOperator.Testing.Time;

namespace DesktopOperator.Runtime.Tests.Queues;

public sealed class RateLimiterTests
{
    [Fact]
    public void ItemExponential_Failures_DoubleFrom5msAndCapAt1000s()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>();

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(20), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("b"));
        for (var i = 0; i < 14; i++)
        {
            limiter.NextDelay("a");
        }

        // 5 ms · 2^17 = 655.36 s is the last step below the cap; the 19th failure is capped.
        Assert.Equal(TimeSpan.FromSeconds(655.36), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.NextDelay("a"));
        Assert.Equal(20, limiter.NumRequeues("a"));
    }

    [Fact]
    public void ItemExponential_Forget_StartsOver()
    {
        var limiter = new ItemExponentialFailureRateLimiter<string>();
        limiter.NextDelay("a");
        limiter.NextDelay("a");
        limiter.Forget("a");

        Assert.Equal(0, limiter.NumRequeues("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
    }

    [Fact]
    public void Bucket_BurstSpent_EachFurtherTokenWaitsOneTenthSecondMore()
    {
        var time = new ManualTimeProvider();
        var limiter = new BucketRateLimiter<string>(10, 100, time);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.NextDelay($"k{i}"));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.NextDelay("x"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), limiter.NextDelay("y"));

        time.Advance(TimeSpan.FromSeconds(10.2));
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.Zero, limiter.NextDelay($"again{i}"));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.NextDelay("z"));
    }

    [Fact]
    public void Default_FewFailures_PerItemBackoffGoverns()
    {
        var limiter = RateLimiters.Default<string>(new ManualTimeProvider());

        Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay("a"));
        Assert.Equal(TimeSpan.FromMilliseconds(10), limiter.NextDelay("a"));
        Assert.Equal(2, limiter.NumRequeues("a"));
    }

    [Fact]
    public void Default_ManyItemsFailingAtOnce_BucketGovernsAfterBurst()
    {
        var limiter = RateLimiters.Default<string>(new ManualTimeProvider());
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.NextDelay($"k{i}"));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.NextDelay("k100"));
    }

    [Fact]
    public void MaxOf_Forget_ForwardedToEveryLimiter()
    {
        var first = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var second = new ItemExponentialFailureRateLimiter<string>(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1));
        var limiter = new MaxOfRateLimiter<string>(first, second);

        Assert.Equal(TimeSpan.FromSeconds(2), limiter.NextDelay("a"));
        limiter.Forget("a");

        Assert.Equal(0, first.NumRequeues("a"));
        Assert.Equal(0, second.NumRequeues("a"));
    }
}
