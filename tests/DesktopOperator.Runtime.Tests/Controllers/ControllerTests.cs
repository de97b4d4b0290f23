using System.Collections.Concurrent;
using DesktopOperator.Runtime.Controllers;
using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Queues;
using DesktopOperator.Runtime.Tests.Support;
using DesktopOperator.Testing.Time;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Runtime.Tests.Controllers;

public sealed class ControllerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _time = new();
    private readonly SyncedCache _cache = new();

    [Fact]
    public async Task RunAsync_ManyWorkersAndRepeatedKeys_KeyNeverReconciledTwiceAtOnce()
    {
        var reconciler = new ExclusivityProbe();
        var controller = NewController(reconciler, workers: 4, time: TimeProvider.System);
        _cache.Sync();
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        for (var round = 0; round < 200; round++)
        {
            for (var k = 0; k < 3; k++)
            {
                controller.Queue.Add(new ObjectKey("default", $"k{k}"));
            }

            await Task.Yield();
        }

        await Eventually.WaitAsync(() => controller.Queue.Count == 0 && reconciler.InFlight == 0 && reconciler.Calls >= 3, "the queue drained");
        await stop.CancelAsync();
        await run.WaitAsync(Timeout);

        Assert.Equal(0, reconciler.Violations);
        Assert.True(reconciler.MaxParallel > 1, "distinct keys should run in parallel");
    }

    [Fact]
    public async Task RunAsync_CachesNotSynced_NoWorkerTakesKeysUntilTheyAre()
    {
        var reconciler = new ScriptedReconciler(_ => ReconcileResult.Done);
        var controller = NewController(reconciler);
        using var stop = new CancellationTokenSource();
        controller.Queue.Add(new ObjectKey("default", "a"));
        var run = controller.RunAsync(stop.Token);

        Assert.Equal(1, controller.Queue.Count);
        Assert.Equal(0, reconciler.Calls);

        _cache.Sync();
        await Eventually.WaitAsync(() => reconciler.Calls == 1, "the reconcile after sync");
        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Reconcile_TerminalError_CountedAndNotRetried()
    {
        var reconciler = new ScriptedReconciler(_ => throw new TerminalReconcileException("spec.replicas must be positive"));
        var name = NewName();
        var controller = NewController(reconciler, name: name);
        var metrics = ControllerMetrics.For(name);
        await using var running = Run(controller);

        controller.Queue.Add(new ObjectKey("default", "bad"));

        await Eventually.WaitAsync(() => metrics.Total(ReconcileOutcome.Terminal) == 1, "the terminal outcome");
        Assert.Equal(0, controller.Queue.DelayedCount);
        Assert.Equal(0, controller.Queue.Count);
        Assert.Equal(0, controller.Queue.NumRequeues(new ObjectKey("default", "bad")));
        Assert.Equal(1, metrics.Errors);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, controller.Queue.Count);
        Assert.Equal(1, reconciler.Calls);
    }

    [Fact]
    public async Task Reconcile_TransientErrors_RetriedWithBackoffThenForgotten()
    {
        var reconciler = new ScriptedReconciler(call => call <= 2 ? throw new InvalidOperationException("409 Conflict") : ReconcileResult.Done);
        var name = NewName();
        var controller = NewController(reconciler, name: name);
        var key = new ObjectKey("default", "a");
        await using var running = Run(controller);

        controller.Queue.Add(key);
        await Eventually.WaitAsync(() => reconciler.Calls == 1 && controller.Queue.DelayedCount == 1, "first failure backing off");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        await Eventually.WaitAsync(() => reconciler.Calls == 2 && controller.Queue.DelayedCount == 1, "second failure backing off");
        _time.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(2, reconciler.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Eventually.WaitAsync(() => ControllerMetrics.For(name).Total(ReconcileOutcome.Success) == 1, "success");
        Assert.Equal(0, controller.Queue.NumRequeues(key));
        Assert.Equal(2, ControllerMetrics.For(name).Total(ReconcileOutcome.Error));
    }

    [Fact]
    public async Task Reconcile_RequeueAfter_RunsAgainOnlyWhenDelayPassed()
    {
        var reconciler = new ScriptedReconciler(call => call == 1 ? ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(30)) : ReconcileResult.Done);
        var name = NewName();
        var controller = NewController(reconciler, name: name);
        await using var running = Run(controller);

        controller.Queue.Add(new ObjectKey("default", "a"));
        await Eventually.WaitAsync(() => ControllerMetrics.For(name).Total(ReconcileOutcome.RequeueAfter) == 1, "requeue_after outcome");
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, reconciler.Calls);
        _time.Advance(TimeSpan.FromSeconds(1));

        await Eventually.WaitAsync(() => reconciler.Calls == 2, "the second pass");
    }

    [Fact]
    public async Task RunAsync_SecondTerm_ReconcilesKeysQueuedMeanwhileAndOneCutShort()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new ConcurrentQueue<string>();
        var reconciler = new DelegateReconciler(async (key, ct) =>
        {
            seen.Enqueue(key.Name);
            if (key.Name == "slow" && seen.Count(n => n == "slow") == 1)
            {
                await release.Task.WaitAsync(ct);
            }

            return ReconcileResult.Done;
        });
        using var controller = NewController(reconciler);
        _cache.Sync();

        using (var firstTerm = new CancellationTokenSource())
        {
            var run = controller.RunAsync(firstTerm.Token);
            controller.Queue.Add(new ObjectKey("default", "slow"));
            await Eventually.WaitAsync(() => seen.Contains("slow"), "the slow reconcile started");
            await firstTerm.CancelAsync();
            await run.WaitAsync(Timeout);
        }

        controller.Queue.Add(new ObjectKey("default", "between-terms"));
        using var secondTerm = new CancellationTokenSource();
        var second = controller.RunAsync(secondTerm.Token);

        await Eventually.WaitAsync(() => seen.Count(n => n == "slow") == 2 && seen.Contains("between-terms"), "both keys in the second term");
        await secondTerm.CancelAsync();
        await second.WaitAsync(Timeout);
    }

    [Fact]
    public void Metrics_NewController_EveryResultSeriesExistsAtZero()
    {
        var name = NewName();
        using var capture = new MetricsCapture(name);
        NewController(new ScriptedReconciler(_ => ReconcileResult.Done), name: name);

        var series = capture.Observe("controller_runtime_reconcile_total");

        Assert.Equal(
            ["error", "requeue_after", "success", "terminal"],
            series.Select(s => (string)s.Tags.Single(t => t.Key == "result").Value!).Order());
        Assert.All(series, s => Assert.Equal(0, s.Value));
    }

    private static string NewName() => $"test-{Guid.NewGuid():N}";

    private Controller NewController(IReconciler reconciler, int workers = 1, string? name = null, TimeProvider? time = null) =>
        new(new ControllerOptions { Name = name ?? NewName(), Workers = workers, RateLimiter = new ItemExponentialFailureRateLimiter<ObjectKey>() }, reconciler, [_cache], time ?? _time);

    private RunningController Run(Controller controller)
    {
        _cache.Sync();
        return new RunningController(controller);
    }

    private sealed class RunningController : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _run;

        public RunningController(Controller controller) => _run = controller.RunAsync(_stop.Token);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run.WaitAsync(Timeout);
            _stop.Dispose();
        }
    }

    private sealed class SyncedCache : IInformerSync
    {
        private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool HasSynced => _synced.Task.IsCompleted;

        public void Sync() => _synced.TrySetResult();

        public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);
    }

    private sealed class DelegateReconciler(Func<ObjectKey, CancellationToken, Task<ReconcileResult>> reconcile) : IReconciler
    {
        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => reconcile(key, cancellationToken);
    }

    private sealed class ScriptedReconciler(Func<int, ReconcileResult> script) : IReconciler
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) =>
            Task.FromResult(script(Interlocked.Increment(ref _calls)));
    }

    private sealed class ExclusivityProbe : IReconciler
    {
        private readonly ConcurrentDictionary<ObjectKey, int> _perKey = new();
        private int _inFlight;
        private int _maxParallel;
        private int _violations;
        private int _calls;

        public int InFlight => Volatile.Read(ref _inFlight);

        public int MaxParallel => Volatile.Read(ref _maxParallel);

        public int Violations => Volatile.Read(ref _violations);

        public int Calls => Volatile.Read(ref _calls);

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            if (_perKey.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref _violations);
            }

            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxParallel, now);
            await Task.Delay(1, cancellationToken);
            Interlocked.Decrement(ref _inFlight);
            _perKey.AddOrUpdate(key, 0, (_, n) => n - 1);
            return ReconcileResult.Done;
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }
}
