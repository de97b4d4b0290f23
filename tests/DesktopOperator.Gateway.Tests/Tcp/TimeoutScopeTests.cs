using DesktopOperator.Gateway.Tcp;
using DesktopOperator.Testing.Time;

namespace DesktopOperator.Gateway.Tests.Tcp;

public sealed class TimeoutScopeTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    [Fact]
    public void Reset_BeforeTimeout_PostponesIt()
    {
        var time = new ManualTimeProvider();
        using var scope = new TimeoutScope(Idle, time, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(9));
        scope.Reset();
        time.Advance(TimeSpan.FromSeconds(9));

        Assert.False(scope.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(scope.Token.IsCancellationRequested);
        Assert.True(scope.TimedOut);
    }

    [Fact]
    public void OuterCanceled_NotATimeout()
    {
        using var outer = new CancellationTokenSource();
        using var scope = new TimeoutScope(Idle, new ManualTimeProvider(), outer.Token);

        outer.Cancel();

        Assert.True(scope.Token.IsCancellationRequested);
        Assert.False(scope.TimedOut);
        Assert.True(scope.OuterCanceled);
    }

    [Fact]
    public void Cancel_AfterTimeout_KeepsTimeoutAsCause()
    {
        var time = new ManualTimeProvider();
        using var scope = new TimeoutScope(Idle, time, CancellationToken.None);

        time.Advance(Idle);
        scope.Cancel();

        Assert.True(scope.TimedOut);
    }

    [Fact]
    public void Cancel_BeforeTimeout_NotATimeout()
    {
        var time = new ManualTimeProvider();
        using var scope = new TimeoutScope(Idle, time, CancellationToken.None);

        scope.Cancel();
        time.Advance(Idle);

        Assert.True(scope.Token.IsCancellationRequested);
        Assert.False(scope.TimedOut);
    }

    [Fact]
    public void ZeroTimeout_NeverFires()
    {
        var time = new ManualTimeProvider();
        using var scope = new TimeoutScope(TimeSpan.Zero, time, CancellationToken.None);

        time.Advance(TimeSpan.FromDays(365));

        Assert.False(scope.Token.IsCancellationRequested);
    }

    [Fact]
    public void TryRestart_RunsTheNewTimeoutFromNow()
    {
        var time = new ManualTimeProvider();
        using var scope = new TimeoutScope(TimeSpan.FromSeconds(5), time, CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(4));
        Assert.True(scope.TryRestart(Idle));
        time.Advance(TimeSpan.FromSeconds(9));
        scope.Reset();
        time.Advance(TimeSpan.FromSeconds(9));

        Assert.False(scope.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(scope.TimedOut);
    }

    [Fact]
    public void TryRestart_WithZeroTimeout_StopsTheTimer()
    {
        var time = new ManualTimeProvider();
        using var scope = new TimeoutScope(Idle, time, CancellationToken.None);

        Assert.True(scope.TryRestart(TimeSpan.Zero));
        scope.Reset();
        time.Advance(TimeSpan.FromDays(365));

        Assert.False(scope.Token.IsCancellationRequested);
    }

    [Fact]
    public void TryRestart_AfterTimeout_FailsAndKeepsTheCause()
    {
        var time = new ManualTimeProvider();
        using var scope = new TimeoutScope(Idle, time, CancellationToken.None);

        time.Advance(Idle);

        Assert.False(scope.TryRestart(Idle));
        Assert.True(scope.TimedOut);
    }
}
