using DesktopOperator.Runtime.Events;
using DesktopOperator.Runtime.Tests.Support;
using DesktopOperator.Kube.Client;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Time;
using DesktopOperator.Testing.Waiting;
using k8s;
using k8s.Models;

namespace DesktopOperator.Runtime.Tests.Events;

public sealed class EventRecorderTests : IAsyncDisposable, IClassFixture<WidgetApiFixture>
{
    private readonly ManualTimeProvider _time = new();
    private readonly TestApi _api;
    private readonly KubernetesClient _client;
    private readonly string _ns;
    private readonly EventRecorder _recorder;
    private readonly CancellationTokenSource _stop = new();
    private readonly Widget _widget;
    private Task? _run;

    public EventRecorderTests(WidgetApiFixture fixture)
    {
        _api = fixture.Api;
        _client = _api.Client;
        _ns = _api.NewNamespace();
        _recorder = new EventRecorder(_client, new EventRecorderOptions { Component = "desktop-operator", Instance = "pod-0", Capacity = 3 }, _time);
        _widget = Widget.Make("w1", _ns);
        _widget.Metadata.Uid = "uid-w1";
    }

    [Fact]
    public async Task Record_SameEventRepeatedWithinWindow_OneEventWithCountAndLastTimestamp()
    {
        Start();
        _recorder.Record(_widget, EventTypes.Normal, "ScaledUp", "replicas 1 -> 2");
        await WaitForEventsAsync(e => e.Count == 1 && e[0].Count == 1);
        _time.Advance(TimeSpan.FromMinutes(1));
        _recorder.Record(_widget, EventTypes.Normal, "ScaledUp", "replicas 1 -> 2");
        _time.Advance(TimeSpan.FromMinutes(1));
        _recorder.Record(_widget, EventTypes.Normal, "ScaledUp", "replicas 1 -> 2");

        var events = await WaitForEventsAsync(e => e.Count == 1 && e[0].Count == 3);
        var recorded = events[0];
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), recorded.FirstTimestamp);
        Assert.Equal(new DateTime(2026, 1, 1, 0, 2, 0, DateTimeKind.Utc), recorded.LastTimestamp);
        Assert.Equal("Widget", recorded.InvolvedObject.Kind);
        Assert.Equal("example.test/v1", recorded.InvolvedObject.ApiVersion);
        Assert.Equal("uid-w1", recorded.InvolvedObject.Uid);
        Assert.Equal("desktop-operator", recorded.Source!.Component);
        Assert.Equal(_ns, recorded.Metadata.NamespaceProperty);
    }

    [Fact]
    public async Task Record_DifferentMessageOrAfterWindow_NewEvent()
    {
        Start();
        _recorder.Record(_widget, EventTypes.Normal, "ScaledUp", "replicas 1 -> 2");
        _recorder.Record(_widget, EventTypes.Normal, "ScaledUp", "replicas 2 -> 3");
        await WaitForEventsAsync(e => e.Count == 2);

        _time.Advance(TimeSpan.FromMinutes(11));
        _recorder.Record(_widget, EventTypes.Normal, "ScaledUp", "replicas 1 -> 2");

        var events = await WaitForEventsAsync(e => e.Count == 3);
        Assert.All(events, e => Assert.Equal(1, e.Count));
    }

    [Fact]
    public async Task Record_EventExpiredOnServer_CreatedAgain()
    {
        Start();
        _recorder.Record(_widget, EventTypes.Warning, "Failed", "boom");
        var first = (await WaitForEventsAsync(e => e.Count == 1))[0];
        await _client.DeleteAsync<Corev1Event>(first.Metadata.Name!, _ns, null, CancellationToken.None);

        _recorder.Record(_widget, EventTypes.Warning, "Failed", "boom");

        var events = await WaitForEventsAsync(e => e.Count == 1 && e[0].Metadata.Name != first.Metadata.Name);
        Assert.Equal(1, events[0].Count);
    }

    [Fact]
    public void Record_BufferFull_ReturnsAtOnceAndCountsDrops()
    {
        for (var i = 0; i < 5; i++)
        {
            _recorder.Record(_widget, EventTypes.Normal, "Tick", $"tick {i}");
        }

        Assert.Equal(2, _recorder.Dropped);
    }

    [Fact]
    public async Task Record_WriteFails_LoggedDroppedAndLaterEventsStillWritten()
    {
        _api.Faults.FailFraction(1.0, r => r.Method == "POST" && r.Path == $"/api/v1/namespaces/{_ns}/events", 500);
        Start();
        _recorder.Record(_widget, EventTypes.Normal, "Lost", "lost");
        await Eventually.WaitAsync(() => _recorder.Dropped == 1, "the failed write counted");

        _api.Faults.Clear();
        _recorder.Record(_widget, EventTypes.Normal, "Kept", "kept");

        var events = await WaitForEventsAsync(e => e.Count == 1);
        Assert.Equal("Kept", events[0].Reason);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(10));
        }

        _stop.Dispose();
    }

    private void Start() => _run = Task.Run(() => _recorder.RunAsync(_stop.Token));

    private async Task<IList<Corev1Event>> WaitForEventsAsync(Func<IList<Corev1Event>, bool> condition)
    {
        IList<Corev1Event> events = [];
        await Eventually.WaitAsync(
            () =>
            {
                events = _client.ListAsync<Corev1Event>(_ns, null, CancellationToken.None).Result.Items;
                return condition(events);
            },
            "the expected events");
        return events;
    }
}
