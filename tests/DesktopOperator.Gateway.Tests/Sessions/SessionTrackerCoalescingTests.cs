using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Sessions;
using DesktopOperator.Testing.Waiting;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Gateway.Tests.Sessions;

public sealed class SessionTrackerCoalescingTests
{
    private const string Pool = "default/pool";
    private const string Key = "127.0.0.1";

    [Fact]
    public async Task BeginAndDispose_BurstWhileAWriteIsSlow_CoalescedIntoOneMoreWriteOfTheLatestLevel()
    {
        var store = new SlowStore();
        var now = DateTimeOffset.UnixEpoch;
        await store.CreateAsync(new RouteRecord(Pool, Key, AffinityKey.SourceIP, "vnc", "host-a", false, SessionRoutePhase.Bound, now, now, 0), CancellationToken.None);
        using var tracker = new SessionTracker(store, TimeProvider.System, NullLogger<SessionTracker>.Instance);

        using var first = tracker.Begin(Pool, Key, AffinityKey.SourceIP, "vnc", "host-a");
        Assert.True(await store.WriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        for (var i = 0; i < 200; i++)
        {
            tracker.Begin(Pool, Key, AffinityKey.SourceIP, "vnc", "host-a").Dispose();
        }

        using var last = tracker.Begin(Pool, Key, AffinityKey.SourceIP, "vnc", "host-a");
        store.Release.SetResult();

        await Eventually.WaitAsync(() => store.Find(Pool, Key) is { Phase: SessionRoutePhase.Active, ActiveConnections: 2 }, "the route at level 2");

        // The slow write (level 1), then one write of the level after the burst (2) — not one per open and close.
        Assert.Equal(2, store.Updates);
    }

    /// <summary>An in-memory store whose first update waits until <see cref="Release"/> is completed.</summary>
    private sealed class SlowStore : IRouteStore
    {
        private readonly InMemoryRouteStore _inner = new();
        private int _updates;

        public event EventHandler? Changed
        {
            add => _inner.Changed += value;
            remove => _inner.Changed -= value;
        }

        public TaskCompletionSource<bool> WriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Updates => Volatile.Read(ref _updates);

        public RouteRecord? Find(string pool, string key) => _inner.Find(pool, key);

        public IReadOnlyList<RouteRecord> List(string pool) => _inner.List(pool);

        public IReadOnlyCollection<string> PoolsWithRoutes() => _inner.PoolsWithRoutes();

        public ValueTask<RouteCreation> CreateAsync(RouteRecord route, CancellationToken cancellationToken) => _inner.CreateAsync(route, cancellationToken);

        public async ValueTask<RouteRecord> UpdateAsync(RouteRecord route, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _updates) == 1)
            {
                WriteStarted.SetResult(true);
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await _inner.UpdateAsync(route, cancellationToken);
        }

        public ValueTask DeleteAsync(RouteRecord route, CancellationToken cancellationToken) => _inner.DeleteAsync(route, cancellationToken);
    }
}
