using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Tests.Support;
using DesktopOperator.Testing.Fakes;
using DesktopOperator.Testing.Time;
using DesktopOperator.Testing.Waiting;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.Informers;

public sealed class InformerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly InMemoryKubernetesClient _client = new();

    [Fact]
    public async Task RunAsync_MorePagesThanLimit_FollowsContinueAndSyncsEverything()
    {
        for (var i = 0; i < 25; i++)
        {
            await _client.CreateAsync(Widget.Make($"w{i:D2}"), None);
        }

        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { PageSize = 10 });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);

        Assert.Equal(3, _client.ListCalls);
        Assert.Equal(25, running.Informer.Cache.Count);
        Assert.Equal(25, running.Handler.Log.Count(e => e.StartsWith("InitialAdd", StringComparison.Ordinal)));
        Assert.Equal(_client.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), running.Informer.LastSyncResourceVersion);
    }

    [Fact]
    public async Task Watch_CreateUpdateDelete_HandlersSeeThemInOrderOnOneThread()
    {
        await using var running = new RunningInformer<Widget>(_client);
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => _client.OpenWatches == 1, "the watch is open");

        var created = await _client.CreateAsync(Widget.Make("a"), None);
        created.Spec.Replicas = 2;
        var updated = await _client.ReplaceAsync(created, None);
        await _client.CreateAsync(Widget.Make("b"), None);
        await _client.DeleteAsync<Widget>("a", "default", null, None);

        await Eventually.WaitAsync(() => running.Handler.Log.Count == 4, "four notifications");
        Assert.Equal(
            ["Add a", $"Update a {created.Metadata.ResourceVersion}->{updated.Metadata.ResourceVersion}", "Add b", "Delete a"],
            running.Handler.Log);
        Assert.False(running.Handler.SawConcurrentCalls);
        Assert.Null(running.Informer.Cache.GetByKey(new ObjectKey("default", "a")));
        Assert.NotNull(running.Informer.Cache.GetByKey(new ObjectKey("default", "b")));
    }

    [Fact]
    public async Task Watch_Expired410_RelistsAndEmitsDeletedForVanishedKeys()
    {
        await _client.CreateAsync(Widget.Make("stays"), None);
        await _client.CreateAsync(Widget.Make("vanishes"), None);
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { InitialBackoff = TimeSpan.FromMilliseconds(1) });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => _client.OpenWatches == 1, "the watch is open");

        // While the informer cannot watch, an object goes away and history is compacted past its resourceVersion.
        _client.Fault = call => call.Verb == "watch" ? new HttpRequestException("connection refused") : null;
        _client.BreakWatches();
        await _client.DeleteAsync<Widget>("vanishes", "default", null, None);
        await _client.CreateAsync(Widget.Make("appears"), None);
        _client.CompactHistory();
        _client.Fault = null;

        await Eventually.WaitAsync(() => running.Handler.Log.Contains("Delete vanishes") && running.Handler.Log.Contains("Add appears"), "relist deltas");
        Assert.Equal(2, _client.ListCalls);
        Assert.Equal(["appears", "stays"], running.Informer.Cache.List().Select(w => w.Metadata.Name).Order());
    }

    [Fact]
    public async Task Watch_ErrorEvent410_RelistsAtOnceWithoutBackoff()
    {
        var time = new ManualTimeProvider();
        await _client.CreateAsync(Widget.Make("a"), None);
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { WatchQuietTimeout = TimeSpan.FromHours(1) }, time);
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => _client.OpenWatches == 1, "the watch is open");

        _client.InjectWatchGone();

        // The clock does not move: a relist that waited for a backoff timer would never come.
        await Eventually.WaitAsync(() => _client.ListCalls == 2 && _client.OpenWatches == 1, "a relist and a new watch");

        // Handlers are notified after the store is replaced, on their own loop: wait for the relist's notification.
        await Eventually.WaitAsync(() => running.Handler.Log.Contains("Update a 1->1"), "the relist's update notification");
        Assert.Equal(2, _client.ListCalls);
    }

    [Fact]
    public async Task Watch_DroppedStream_ResumesFromLastResourceVersionWithoutRelist()
    {
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { InitialBackoff = TimeSpan.FromMilliseconds(1) });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => _client.OpenWatches == 1, "the watch is open");

        _client.Fault = call => call.Verb == "watch" ? new HttpRequestException("connection reset") : null;
        _client.BreakWatches(new IOException("stream reset"));
        await _client.CreateAsync(Widget.Make("while-down"), None);
        _client.Fault = null;

        await Eventually.WaitAsync(() => running.Handler.Log.Contains("Add while-down"), "the change made while the watch was down");
        Assert.Equal(1, _client.ListCalls);
        Assert.True(_client.WatchCalls >= 2);
    }

    [Fact]
    public async Task Watch_Bookmark_AdvancesResourceVersionSoResumeNeedsNoRelist()
    {
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { InitialBackoff = TimeSpan.FromMilliseconds(1) });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => _client.OpenWatches == 1, "the watch is open");

        // Other kinds move the global resourceVersion; only a bookmark tells this informer about it.
        await _client.CreateAsync(new V1Lease { Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = "default" } }, None);
        _client.SendBookmarks();
        var current = _client.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.WaitAsync(() => running.Informer.LastSyncResourceVersion == current, "the bookmark's resourceVersion");

        _client.CompactHistory();
        _client.BreakWatches();
        await Eventually.WaitAsync(() => _client.WatchCalls >= 2 && _client.OpenWatches == 1, "the watch re-opened");
        await _client.CreateAsync(Widget.Make("after"), None);

        await Eventually.WaitAsync(() => running.Handler.Log.Contains("Add after"), "an event on the resumed watch");
        Assert.Equal(1, _client.ListCalls);
    }

    [Fact]
    public async Task Watch_QuietTooLong_ReopenedFromSameVersion()
    {
        var time = new ManualTimeProvider();
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { WatchQuietTimeout = TimeSpan.FromSeconds(30) }, time);
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => _client.OpenWatches == 1 && time.ActiveTimers == 1, "the watch and its quiet timer");

        time.Advance(TimeSpan.FromSeconds(31));

        await Eventually.WaitAsync(() => _client.WatchCalls == 2 && _client.OpenWatches == 1, "a second watch");
        Assert.Equal(1, _client.ListCalls);
    }

    [Fact]
    public async Task Outage_AllCallsFail_RetriesWithGrowingBackoffThenRecovers()
    {
        var time = new ManualTimeProvider();
        var random = new FixedRandom(0);
        _client.Fault = _ => new HttpRequestException("connection refused");
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { WatchQuietTimeout = TimeSpan.FromHours(1) }, time, random);

        // No jitter (random 0): 0.8 s, 1.6 s, 3.2 s between list attempts.
        await WaitForBackoffAsync(time, () => _client.ListCalls == 0 && random.Calls == 1);
        foreach (var (delay, attempt) in new[] { (0.8, 1), (1.6, 2) })
        {
            time.Advance(TimeSpan.FromSeconds(delay) - TimeSpan.FromMilliseconds(1));
            Assert.False(running.Informer.HasSynced);
            Assert.Equal(attempt, random.Calls);
            time.Advance(TimeSpan.FromMilliseconds(1));
            await WaitForBackoffAsync(time, () => random.Calls == attempt + 1);
        }

        _client.Fault = null;
        await _client.CreateAsync(Widget.Make("a"), None);
        time.Advance(TimeSpan.FromSeconds(3.2));

        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        Assert.Contains("InitialAdd a", running.Handler.Log);
    }

    [Fact]
    public async Task Resync_PeriodElapses_EveryObjectRedeliveredAsUpdate()
    {
        var time = new ManualTimeProvider();
        await _client.CreateAsync(Widget.Make("a"), None);
        await _client.CreateAsync(Widget.Make("b"), None);
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { ResyncPeriod = TimeSpan.FromMinutes(1), WatchQuietTimeout = TimeSpan.FromHours(1) }, time);
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);

        time.Advance(TimeSpan.FromMinutes(1));

        await Eventually.WaitAsync(() => running.Handler.Log.Count(e => e.StartsWith("Update", StringComparison.Ordinal)) == 2, "two resync updates");
        Assert.Contains(running.Handler.Log, e => e.StartsWith("Update a 1->1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddEventHandler_RunningInformer_NewHandlerGetsExistingObjects()
    {
        await _client.CreateAsync(Widget.Make("a"), None);
        await using var running = new RunningInformer<Widget>(_client);
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);

        var late = new RecordingHandler<Widget>();
        running.Informer.AddEventHandler(late);

        await Eventually.WaitAsync(() => late.Log.Count == 1, "a synthetic add");
        Assert.Equal(["Add a"], late.Log);
    }

    [Fact]
    public async Task Transform_Configured_CachedObjectsAreStripped()
    {
        var w = Widget.Make("a");
        w.Metadata.Annotations = new Dictionary<string, string> { ["big"] = new string('x', 1000) };
        await _client.CreateAsync(w, None);
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget>
        {
            Transform = obj =>
            {
                obj.Metadata.Annotations = null;
                return obj;
            },
        });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);

        Assert.Null(running.Informer.Cache.GetByKey(new ObjectKey("default", "a"))!.Metadata.Annotations);
    }

    /// <summary>Waits until the reflector has computed its next backoff and armed the delay timer (the only timer then).</summary>
    private static Task WaitForBackoffAsync(ManualTimeProvider time, Func<bool> condition) =>
        Eventually.WaitAsync(() => condition() && time.ActiveTimers == 1, "the reflector backing off");
}
