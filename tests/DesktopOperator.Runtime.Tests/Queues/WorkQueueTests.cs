using System.Collections.Concurrent;
using DesktopOperator.Runtime.Queues;
using DesktopOperator.Runtime.Tests.Support;
using DesktopOperator.Testing.Time;

namespace DesktopOperator.Runtime.Tests.Queues;

public sealed class WorkQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _time = new();

    private WorkQueue<string> NewQueue(IRateLimiter<string>? limiter = null) =>
        new($"test-{Guid.NewGuid():N}", limiter ?? new ItemExponentialFailureRateLimiter<string>(), _time);

    [Fact]
    public async Task Add_SameItemTwiceBeforeGet_HandedOutOnce()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal(("a", false), await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(("b", false), await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Add_WhileProcessing_HandedOutAgainOnlyAfterDone()
    {
        using var queue = NewQueue();
        queue.Add("a");
        var (item, _) = await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout);

        queue.Add("a");
        var second = queue.GetAsync(CancellationToken.None);
        Assert.Equal(0, queue.Count);
        Assert.False(second.IsCompleted, "an item being processed must not be handed to a second worker");

        queue.Done(item);
        Assert.Equal(("a", false), await second.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Done_NotAddedMeanwhile_NotRequeued()
    {
        using var queue = NewQueue();
        queue.Add("a");
        var (item, _) = await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout);
        queue.Done(item);

        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task GetAsync_Cancelled_ItemAddedLaterIsNotLost()
    {
        using var queue = NewQueue();
        using var cts = new CancellationTokenSource();
        var abandoned = queue.GetAsync(cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        queue.Add("a");
        Assert.Equal(("a", false), await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task AddAfter_SeveralDelays_AddedInDueOrderWhenTimeComes()
    {
        using var queue = NewQueue();
        queue.AddAfter("late", TimeSpan.FromSeconds(3));
        queue.AddAfter("early", TimeSpan.FromSeconds(1));
        queue.AddAfter("middle", TimeSpan.FromSeconds(2));
        Assert.Equal(3, queue.DelayedCount);

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, queue.Count);

        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(("early", false), await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(("middle", false), await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout));
        Assert.Equal(("late", false), await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public void AddAfter_SameItemWithEarlierDelay_EarlierWinsAndAddedOnce()
    {
        using var queue = NewQueue();
        queue.AddAfter("a", TimeSpan.FromSeconds(10));
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        queue.AddAfter("a", TimeSpan.FromSeconds(5));
        Assert.Equal(1, queue.DelayedCount);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, queue.Count);
        Assert.Equal(0, queue.DelayedCount);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task AddRateLimited_RepeatedFailures_BackoffDoublesAndForgetResets()
    {
        using var queue = NewQueue();
        var expected = new[] { 5, 10, 20, 40 };
        foreach (var ms in expected)
        {
            queue.AddRateLimited("a");
            _time.Advance(TimeSpan.FromMilliseconds(ms - 1));
            Assert.Equal(0, queue.Count);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Equal(1, queue.Count);
            var (item, _) = await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout);
            queue.Done(item);
        }

        Assert.Equal(4, queue.NumRequeues("a"));
        queue.Forget("a");
        Assert.Equal(0, queue.NumRequeues("a"));

        queue.AddRateLimited("a");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task ShutDown_ItemsQueued_HandedOutThenShutDownReported()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.ShutDown();
        queue.Add("b");

        Assert.Equal(("a", false), await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout));
        var (_, shutDown) = await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.True(shutDown);
    }

    [Fact]
    public async Task ShutDown_IdleWorkerWaiting_WokenWithShutDown()
    {
        using var queue = NewQueue();
        var waiting = queue.GetAsync(CancellationToken.None);
        queue.ShutDown();

        Assert.True((await waiting.WaitAsync(Timeout)).ShutDown);
    }

    [Fact]
    public async Task ShutDownWithDrainAsync_ItemsInFlight_CompletesOnlyWhenAllDone()
    {
        using var queue = NewQueue();
        queue.Add("a");
        queue.Add("b");
        var (a, _) = await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout);

        var drain = queue.ShutDownWithDrainAsync(CancellationToken.None);
        Assert.False(drain.IsCompleted);

        queue.Done(a);
        Assert.False(drain.IsCompleted, "b is still queued");
        var (b, _) = await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.False(drain.IsCompleted, "b is still being processed");
        queue.Done(b);

        await drain.WaitAsync(Timeout);
    }

    [Fact]
    public async Task GetAsync_ManyWorkersAndRepeatedAdds_NoItemProcessedConcurrentlyAndNoneLost()
    {
        using var queue = new WorkQueue<int>($"stress-{Guid.NewGuid():N}", new ItemExponentialFailureRateLimiter<int>(), TimeProvider.System);
        var inFlight = new ConcurrentDictionary<int, int>();
        var processed = new ConcurrentDictionary<int, int>();
        var violations = 0;
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var (item, shutDown) = await queue.GetAsync(CancellationToken.None);
                if (shutDown)
                {
                    return;
                }

                if (inFlight.AddOrUpdate(item, 1, (_, n) => n + 1) > 1)
                {
                    Interlocked.Increment(ref violations);
                }

                await Task.Yield();
                processed.AddOrUpdate(item, 1, (_, n) => n + 1);
                inFlight.AddOrUpdate(item, 0, (_, n) => n - 1);
                queue.Done(item);
            }
        })).ToArray();

        for (var i = 0; i < 20_000; i++)
        {
            queue.Add(i % 8);
        }

        await queue.ShutDownWithDrainAsync(CancellationToken.None).WaitAsync(Timeout);
        await Task.WhenAll(workers).WaitAsync(Timeout);

        Assert.Equal(0, violations);
        Assert.Equal(8, processed.Count);
    }

    [Fact]
    public async Task Metrics_AddsAndDepth_ReportedUnderQueueName()
    {
        var name = $"metrics-{Guid.NewGuid():N}";
        using var listener = new MetricsCapture(name);
        using var queue = new WorkQueue<string>(name, new ItemExponentialFailureRateLimiter<string>(), _time);
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        var (item, _) = await queue.GetAsync(CancellationToken.None).WaitAsync(Timeout);
        queue.Done(item);
        queue.AddRateLimited("c");

        Assert.Equal(2, listener.Sum("workqueue_adds_total"));
        Assert.Equal(1, listener.Sum("workqueue_depth"));
        Assert.Equal(1, listener.Sum("workqueue_retries_total"));
        Assert.Equal(1, listener.Count("workqueue_queue_duration_seconds"));
        Assert.Equal(1, listener.Count("workqueue_work_duration_seconds"));
    }
}
