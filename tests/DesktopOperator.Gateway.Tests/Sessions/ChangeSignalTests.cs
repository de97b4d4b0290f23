using DesktopOperator.Gateway.Sessions;

namespace DesktopOperator.Gateway.Tests.Sessions;

public sealed class ChangeSignalTests
{
    [Fact]
    public void Notify_AfterCurrentTaken_CompletesIt()
    {
        var signal = new ChangeSignal();
        var taken = signal.Current;

        signal.Notify();

        Assert.True(taken.IsCompleted);
        Assert.False(signal.Current.IsCompleted, "the next task waits for the next notification");
    }

    [Fact]
    public void Notify_NothingTaken_AllocatesNothingAndTheNextTakerWaitsForTheNextOne()
    {
        var signal = new ChangeSignal();
        signal.Notify(); // warm-up (JIT)

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            signal.Notify();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        var taken = signal.Current;
        Assert.False(taken.IsCompleted);
        signal.Notify();
        Assert.True(taken.IsCompleted);
    }

    [Fact]
    public void Notify_TakenTwiceBetweenNotifications_CompletesBoth()
    {
        var signal = new ChangeSignal();
        var first = signal.Current;
        var second = signal.Current;

        signal.Notify();

        Assert.Same(first, second);
        Assert.True(second.IsCompleted);
    }

    [Fact]
    public async Task Notify_RacingTakers_NeverMissesANotificationAfterTheTake()
    {
        var signal = new ChangeSignal();
        using var stop = new CancellationTokenSource();
        var notifier = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                signal.Notify();
            }
        });
        try
        {
            for (var i = 0; i < 20_000; i++)
            {
                var taken = signal.Current;

                // Whatever the notifier thread does meanwhile, a notification that starts after the take completes it
                // (this one, or the notifier's that is swapping at the same moment).
                signal.Notify();
                await taken.WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await notifier;
        }
    }
}
