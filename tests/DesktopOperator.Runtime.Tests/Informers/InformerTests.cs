using DesktopOperator.Runtime.Informers;
using DesktopOperator.Runtime.Tests.Support;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Time;
using DesktopOperator.Testing.Waiting;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.Informers;

/// <summary>Informers against the test API server over HTTP; each test watches its own namespace.</summary>
public sealed class InformerTests(WidgetApiFixture fixture) : IClassFixture<WidgetApiFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TestApi _api = fixture.Api;
    private readonly KubernetesClient _client = fixture.Api.Client;
    private readonly string _ns = fixture.Api.NewNamespace();

    private int ListCalls => _api.Requests.Lists(WidgetApiFixture.Widgets(_ns));

    private int WatchCalls => _api.Requests.Watches(WidgetApiFixture.Widgets(_ns));

    private int OpenWatches => _api.Requests.OpenWatches(WidgetApiFixture.Widgets(_ns));

    private string CurrentResourceVersion => _api.Server.CurrentResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private bool IsWidgetWatch(RecordedRequest r) => r.IsWatch && r.Path == WidgetApiFixture.Widgets(_ns);

    [Fact]
    public async Task RunAsync_MorePagesThanLimit_FollowsContinueAndSyncsEverything()
    {
        for (var i = 0; i < 25; i++)
        {
            await _client.CreateAsync(Widget.Make($"w{i:D2}", _ns), None);
        }

        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { Namespace = _ns, PageSize = 10 });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);

        Assert.Equal(3, ListCalls);
        Assert.Equal(25, running.Informer.Cache.Count);
        Assert.Equal(25, running.Handler.Log.Count(e => e.StartsWith("InitialAdd", StringComparison.Ordinal)));
        Assert.Equal(CurrentResourceVersion, running.Informer.LastSyncResourceVersion);
    }

    [Fact]
    public async Task Watch_CreateUpdateDelete_HandlersSeeThemInOrderOnOneThread()
    {
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { Namespace = _ns });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => OpenWatches == 1, "the watch is open");

        var created = await _client.CreateAsync(Widget.Make("a", _ns), None);
        created.Spec.Replicas = 2;
        var updated = await _client.ReplaceAsync(created, None);
        await _client.CreateAsync(Widget.Make("b", _ns), None);
        await _client.DeleteAsync<Widget>("a", _ns, null, None);

        await Eventually.WaitAsync(() => running.Handler.Log.Count == 4, "four notifications");
        Assert.Equal(
            ["Add a", $"Update a {created.Metadata.ResourceVersion}->{updated.Metadata.ResourceVersion}", "Add b", "Delete a"],
            running.Handler.Log);
        Assert.False(running.Handler.SawConcurrentCalls);
        Assert.Null(running.Informer.Cache.GetByKey(new ObjectKey(_ns, "a")));
        Assert.NotNull(running.Informer.Cache.GetByKey(new ObjectKey(_ns, "b")));
    }

    [Fact]
    public async Task Watch_Expired410_RelistsAndEmitsDeletedForVanishedKeys()
    {
        await _client.CreateAsync(Widget.Make("stays", _ns), None);
        await _client.CreateAsync(Widget.Make("vanishes", _ns), None);
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { Namespace = _ns, InitialBackoff = TimeSpan.FromMilliseconds(1) });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => OpenWatches == 1, "the watch is open");

        // While the informer cannot watch, an object goes away and history is compacted past its resourceVersion.
        _api.Faults.FailFraction(1.0, IsWidgetWatch, 503);
        _api.Faults.DropWatches();
        await _client.DeleteAsync<Widget>("vanishes", _ns, null, None);
        await _client.CreateAsync(Widget.Make("appears", _ns), None);
        _api.Server.CompactHistory();
        _api.Faults.Clear();

        await Eventually.WaitAsync(() => running.Handler.Log.Contains("Delete vanishes") && running.Handler.Log.Contains("Add appears"), "relist deltas");
        Assert.Equal(2, ListCalls);
        Assert.Equal(["appears", "stays"], running.Informer.Cache.List().Select(w => w.Metadata.Name).Order());
    }

    [Fact]
    public async Task Watch_ErrorEvent410_RelistsAtOnceWithoutBackoff()
    {
        var time = new ManualTimeProvider();
        var a = await _client.CreateAsync(Widget.Make("a", _ns), None);
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { Namespace = _ns, WatchQuietTimeout = TimeSpan.FromHours(1) }, time);
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => OpenWatches == 1, "the watch is open");

        _api.Faults.ExpireWatches();

        // The clock does not move: a relist that waited for a backoff timer would never come.
        await Eventually.WaitAsync(() => ListCalls == 2 && OpenWatches == 1, "a relist and a new watch");

        // Handlers are notified after the store is replaced, on their own loop: wait for the relist's notification.
        var rv = a.Metadata.ResourceVersion;
        await Eventually.WaitAsync(() => running.Handler.Log.Contains($"Update a {rv}->{rv}"), "the relist's update notification");
        Assert.Equal(2, ListCalls);
    }

    [Fact]
    public async Task Watch_DroppedStream_ResumesFromLastResourceVersionWithoutRelist()
    {
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { Namespace = _ns, InitialBackoff = TimeSpan.FromMilliseconds(1) });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => OpenWatches == 1, "the watch is open");

        _api.Faults.FailFraction(1.0, IsWidgetWatch, 503);
        _api.Faults.DropWatches();
        await _client.CreateAsync(Widget.Make("while-down", _ns), None);
        _api.Faults.Clear();

        await Eventually.WaitAsync(() => running.Handler.Log.Contains("Add while-down"), "the change made while the watch was down");
        Assert.Equal(1, ListCalls);
        Assert.True(WatchCalls >= 2);
    }

    [Fact]
    public async Task Watch_Bookmark_AdvancesResourceVersionSoResumeNeedsNoRelist()
    {
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { Namespace = _ns, InitialBackoff = TimeSpan.FromMilliseconds(1) });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => OpenWatches == 1, "the watch is open");

        // A widget in another namespace moves the resourceVersion; only a bookmark tells this informer about it.
        var elsewhere = await _client.CreateAsync(Widget.Make("elsewhere", _api.NewNamespace()), None);
        var current = elsewhere.Metadata.ResourceVersion;
        await Eventually.WaitAsync(() => running.Informer.LastSyncResourceVersion == current, "the bookmark's resourceVersion");

        _api.Server.CompactHistory();
        _api.Faults.DropWatches();
        await Eventually.WaitAsync(() => WatchCalls >= 2 && OpenWatches == 1, "the watch re-opened");
        await _client.CreateAsync(Widget.Make("after", _ns), None);

        await Eventually.WaitAsync(() => running.Handler.Log.Contains("Add after"), "an event on the resumed watch");
        Assert.Equal(1, ListCalls);
    }

    [Fact]
    public async Task Watch_QuietTooLong_ReopenedFromSameVersion()
    {
        var time = new ManualTimeProvider();
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { Namespace = _ns, WatchQuietTimeout = TimeSpan.FromSeconds(30) }, time);
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        await Eventually.WaitAsync(() => OpenWatches == 1 && time.ActiveTimers == 1, "the watch and its quiet timer");

        time.Advance(TimeSpan.FromSeconds(31));

        await Eventually.WaitAsync(() => WatchCalls == 2 && OpenWatches == 1, "a second watch");
        Assert.Equal(1, ListCalls);
    }

    [Fact]
    public async Task Outage_AllCallsFail_RetriesWithGrowingBackoffThenRecovers()
    {
        var time = new ManualTimeProvider();
        var random = new FixedRandom(0);
        _api.Faults.StartOutage(OutageMode.RefuseConnections);
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { Namespace = _ns, WatchQuietTimeout = TimeSpan.FromHours(1) }, time, random);

        // No jitter (random 0): 0.8 s, 1.6 s, 3.2 s between list attempts.
        await WaitForBackoffAsync(time, () => ListCalls == 0 && random.Calls == 1);
        foreach (var (delay, attempt) in new[] { (0.8, 1), (1.6, 2) })
        {
            time.Advance(TimeSpan.FromSeconds(delay) - TimeSpan.FromMilliseconds(1));
            Assert.False(running.Informer.HasSynced);
            Assert.Equal(attempt, random.Calls);
            time.Advance(TimeSpan.FromMilliseconds(1));
            await WaitForBackoffAsync(time, () => random.Calls == attempt + 1);
        }

        _api.Faults.EndOutage();
        await _client.CreateAsync(Widget.Make("a", _ns), None);
        time.Advance(TimeSpan.FromSeconds(3.2));

        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);
        Assert.Contains("InitialAdd a", running.Handler.Log);
    }

    [Fact]
    public async Task Resync_PeriodElapses_EveryObjectRedeliveredAsUpdate()
    {
        var time = new ManualTimeProvider();
        var a = await _client.CreateAsync(Widget.Make("a", _ns), None);
        await _client.CreateAsync(Widget.Make("b", _ns), None);
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { Namespace = _ns, ResyncPeriod = TimeSpan.FromMinutes(1), WatchQuietTimeout = TimeSpan.FromHours(1) }, time);
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);

        time.Advance(TimeSpan.FromMinutes(1));

        await Eventually.WaitAsync(() => running.Handler.Log.Count(e => e.StartsWith("Update", StringComparison.Ordinal)) == 2, "two resync updates");
        Assert.Contains($"Update a {a.Metadata.ResourceVersion}->{a.Metadata.ResourceVersion}", running.Handler.Log);
    }

    [Fact]
    public async Task AddEventHandler_RunningInformer_NewHandlerGetsExistingObjects()
    {
        await _client.CreateAsync(Widget.Make("a", _ns), None);
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget> { Namespace = _ns });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);

        var late = new RecordingHandler<Widget>();
        running.Informer.AddEventHandler(late);

        await Eventually.WaitAsync(() => late.Log.Count == 1, "a synthetic add");
        Assert.Equal(["Add a"], late.Log);
    }

    [Fact]
    public async Task Transform_Configured_CachedObjectsAreStripped()
    {
        var w = Widget.Make("a", _ns);
        w.Metadata.Annotations = new Dictionary<string, string> { ["big"] = new string('x', 1000) };
        await _client.CreateAsync(w, None);
        await using var running = new RunningInformer<Widget>(_client, new InformerOptions<Widget>
        {
            Namespace = _ns,
            Transform = obj =>
            {
                obj.Metadata.Annotations = null;
                return obj;
            },
        });
        await running.Informer.WaitForSyncAsync(None).WaitAsync(Timeout);

        Assert.Null(running.Informer.Cache.GetByKey(new ObjectKey(_ns, "a"))!.Metadata.Annotations);
    }

    /// <summary>Waits until the reflector has computed its next backoff and armed the delay timer (the only timer then).</summary>
    private static Task WaitForBackoffAsync(ManualTimeProvider time, Func<bool> condition) =>
        Eventually.WaitAsync(() => condition() && time.ActiveTimers == 1, "the reflector backing off");
}
