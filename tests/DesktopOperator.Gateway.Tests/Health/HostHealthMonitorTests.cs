using System.Collections.Concurrent;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Testing.Time;
using Microsoft.Extensions.Logging;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Gateway.Tests.Health;

/// <summary>
/// The monitor on a manual clock with a scripted probe: every check happens exactly when the test advances time,
/// and passive reports cannot interleave with checks.
/// </summary>
public sealed class HostHealthMonitorTests : IAsyncLifetime
{
    private static readonly HealthCheckSettings Settings = new() { Interval = TimeSpan.FromSeconds(2), Timeout = TimeSpan.FromSeconds(1), Rise = 2, Fall = 3 };

    private readonly ManualTimeProvider _time = new();
    private readonly ScriptedProbe _probe = new();
    private readonly TestMeterFactory _meters = new();
    private readonly MetricRecorder _recorder;
    private readonly RecordingLogger<HostHealthMonitor> _logger = new();
    private readonly ConcurrentQueue<HostHealthChangedEventArgs> _changes = new();
    private readonly HostHealthMonitor _monitor;
    private double _jitter;

    public HostHealthMonitorTests()
    {
        _recorder = new MetricRecorder(_meters);
        _monitor = new HostHealthMonitor(_ => _probe, _time, () => _jitter, _meters, _logger);
        _monitor.HealthChanged += (_, e) => _changes.Enqueue(e);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _monitor.DisposeAsync();
        _recorder.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task FirstCheckPasses_UnknownToHealthy()
    {
        Assert.Equal(HostHealth.Unknown, _monitor.GetHealth("office", "h1"));

        await StartAsync(Target("h1"));

        Assert.Equal(HostHealth.Healthy, _monitor.GetHealth("office", "h1"));
        var change = Assert.Single(_changes);
        Assert.Equal(("office", "h1", HostHealth.Unknown, HostHealth.Healthy), (change.Pool, change.Host, change.Previous, change.Current));
    }

    [Fact]
    public async Task FailingChecks_UnhealthyOnFallthCheck_BackOnRisethCheck()
    {
        await StartAsync(Target("h1"));
        _probe.Answer(new ProbeResult(ProbeOutcome.ConnectFailed));

        await CheckAsync(2);
        await CheckAsync(3);
        Assert.Equal(HostHealth.Healthy, _monitor.GetHealth("office", "h1"));
        await CheckAsync(4);
        Assert.Equal(HostHealth.Unhealthy, _monitor.GetHealth("office", "h1"));

        _probe.Answer(ProbeResult.Success);
        await CheckAsync(5);
        Assert.Equal(HostHealth.Unhealthy, _monitor.GetHealth("office", "h1"));
        await CheckAsync(6);
        Assert.Equal(HostHealth.Healthy, _monitor.GetHealth("office", "h1"));
        Assert.Equal([HostHealth.Healthy, HostHealth.Unhealthy, HostHealth.Healthy], _changes.Select(c => c.Current));
    }

    [Fact]
    public async Task ChecksNotRun_GatewayOutOfDescriptors_NeitherTakeOutNorBringBackAHost()
    {
        await StartAsync(Target("h1"));
        _probe.Answer(new ProbeResult(ProbeOutcome.NotRun));

        await CheckAsync(2);
        await CheckAsync(3);
        await CheckAsync(4);
        await CheckAsync(5);
        Assert.Equal(HostHealth.Healthy, _monitor.GetHealth("office", "h1"));

        _probe.Answer(new ProbeResult(ProbeOutcome.ConnectFailed));
        await CheckAsync(6);
        await CheckAsync(7);
        await CheckAsync(8);
        Assert.Equal(HostHealth.Unhealthy, _monitor.GetHealth("office", "h1"));

        _probe.Answer(new ProbeResult(ProbeOutcome.NotRun));
        await CheckAsync(9);
        await CheckAsync(10);
        Assert.Equal(HostHealth.Unhealthy, _monitor.GetHealth("office", "h1"));
        Assert.Equal(4 + 2, _recorder.Of("gateway_health_probe_duration").Count(p => p.Labels["result"] == "not_run"));
    }

    [Fact]
    public async Task PassiveFailures_UnhealthyAtOnce_ActiveChecksBringItBackAfterRise()
    {
        await StartAsync(Target("h1"));

        _monitor.ReportConnectFailure("office", "h1");
        _monitor.ReportConnectFailure("office", "h1");
        Assert.Equal(HostHealth.Healthy, _monitor.GetHealth("office", "h1"));
        _monitor.ReportConnectFailure("office", "h1");
        Assert.Equal(HostHealth.Unhealthy, _monitor.GetHealth("office", "h1"));

        await CheckAsync(2);
        Assert.Equal(HostHealth.Unhealthy, _monitor.GetHealth("office", "h1"));
        await CheckAsync(3);
        Assert.Equal(HostHealth.Healthy, _monitor.GetHealth("office", "h1"));
    }

    [Fact]
    public async Task PassiveSuccess_EndsFailureStreak()
    {
        await StartAsync(Target("h1"));

        _monitor.ReportConnectFailure("office", "h1");
        _monitor.ReportConnectFailure("office", "h1");
        _monitor.ReportConnectSuccess("office", "h1");
        _monitor.ReportConnectFailure("office", "h1");

        Assert.Equal(HostHealth.Healthy, _monitor.GetHealth("office", "h1"));
    }

    [Fact]
    public async Task Reports_ForHostNotChecked_Ignored()
    {
        await StartAsync(Target("h1"));

        for (var i = 0; i < 5; i++)
        {
            _monitor.ReportConnectFailure("office", "other");
            _monitor.ReportConnectFailure("lab", "h1");
        }

        Assert.Equal(HostHealth.Unknown, _monitor.GetHealth("office", "other"));
        Assert.Equal(HostHealth.Healthy, _monitor.GetHealth("office", "h1"));
    }

    [Fact]
    public async Task Jitter_SpreadsFirstCheckOverInterval()
    {
        _jitter = 0.5;
        _monitor.UpdateTargets([Target("h1")]);
        await Eventually.WaitAsync(() => _time.ActiveTimers == 1, "the spreading delay");

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, _probe.Calls);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.WaitAsync(() => Checks() == 1, "the first check");
    }

    [Fact]
    public async Task EachTransition_LoggedOnceAtInformation_WithTheFailedCheckCause()
    {
        await StartAsync(Target("h1"));
        _probe.Answer(new ProbeResult(ProbeOutcome.ConnectFailed, "ConnectionRefused"));
        for (var i = 2; i <= 6; i++)
        {
            await CheckAsync(i);
        }

        var information = _logger.Entries.Where(e => e.Level == LogLevel.Information).ToList();
        Assert.Equal(2, information.Count);
        Assert.All(information, e => Assert.Equal(3001, e.Id.Id));
        Assert.Contains("office/h1 is now Healthy (was Unknown)", information[0].Message);
        Assert.Contains("office/h1 is now Unhealthy (was Healthy): check failed: connect_failed (ConnectionRefused)", information[1].Message);
        Assert.Equal(6, _logger.Entries.Count(e => e.Id.Id == 3002 && e.Level == LogLevel.Debug));
    }

    [Fact]
    public async Task Metrics_TransitionsHealthyGaugeAndProbeDurations()
    {
        await StartAsync(Target("h1"), Target("h2"));
        _monitor.ReportConnectFailure("office", "h2");
        _monitor.ReportConnectFailure("office", "h2");
        _monitor.ReportConnectFailure("office", "h2");

        var transitions = _recorder.Of("gateway_host_health_transitions").ToList();
        Assert.Equal(3, transitions.Count);
        Assert.All(transitions, t => Assert.Equal(["host", "pool", "to"], t.Labels.Keys.Order()));
        Assert.Single(transitions, t => t.Labels["host"] == "h2" && t.Labels["to"] == "unhealthy");

        var healthy = _recorder.Observe("gateway_host_healthy").ToDictionary(s => s.Labels["host"], s => s.Value);
        Assert.Equal(new Dictionary<string, double> { ["h1"] = 1, ["h2"] = 0 }, healthy);

        var probes = _recorder.Of("gateway_health_probe_duration").ToList();
        Assert.Equal(2, probes.Count);
        Assert.All(probes, p => Assert.Equal(new Dictionary<string, string> { ["pool"] = "office", ["kind"] = "scripted", ["result"] = "success" }, p.Labels));
    }

    [Fact]
    public async Task UpdateTargets_RemovedHost_LoopStopsAndStateForgotten()
    {
        await StartAsync(Target("h1"), Target("h2"));

        _monitor.UpdateTargets([Target("h1")]);

        await Eventually.WaitAsync(() => _monitor.RunningProbeLoops == 1, "the removed host's loop to end");
        Assert.Equal(HostHealth.Unknown, _monitor.GetHealth("office", "h2"));
        Assert.Equal(HostHealth.Healthy, _monitor.GetHealth("office", "h1"));
        Assert.Equal(["h1"], _recorder.Observe("gateway_host_healthy").Select(s => s.Labels["host"]));
    }

    [Fact]
    public async Task UpdateTargets_SameTargets_KeepStateAndLoops()
    {
        await StartAsync(Target("h1"));
        _monitor.ReportConnectFailure("office", "h1");
        _monitor.ReportConnectFailure("office", "h1");
        _monitor.ReportConnectFailure("office", "h1");

        _monitor.UpdateTargets([Target("h1")]);

        Assert.Equal(HostHealth.Unhealthy, _monitor.GetHealth("office", "h1"));
        Assert.Equal(1, _monitor.RunningProbeLoops);
        Assert.Equal(1, _probe.Calls);
    }

    [Fact]
    public async Task UpdateTargets_ChangedAddress_StartsOverAsUnknownWithEvent()
    {
        await StartAsync(Target("h1"));

        _monitor.UpdateTargets([Target("h1") with { Address = "127.0.0.2" }]);

        await Eventually.WaitAsync(() => Checks() == 2, "the new target's first check");
        Assert.Equal(HostHealth.Healthy, _monitor.GetHealth("office", "h1"));
        Assert.Equal([HostHealth.Healthy, HostHealth.Unknown, HostHealth.Healthy], _changes.Select(c => c.Current));
        Assert.Equal("127.0.0.2", _probe.LastAddress);
    }

    [Fact]
    public void UpdateTargets_InvalidSettings_ThrowsAndChangesNothing()
    {
        Assert.Throws<ArgumentException>(() => _monitor.UpdateTargets([Target("h1"), Target("h2") with { Settings = Settings with { Fall = 0 } }]));
        Assert.Throws<ArgumentOutOfRangeException>(() => _monitor.UpdateTargets([Target("h1") with { Port = 0 }]));

        Assert.Equal(0, _monitor.RunningProbeLoops);
    }

    [Fact]
    public async Task ProbeThrows_CountsAsFailureAndLogsWarning()
    {
        await StartAsync(Target("h1"));
        _probe.Throw(new InvalidOperationException("bug"));

        await CheckAsync(2);

        Assert.Single(_logger.Entries, e => e.Level == LogLevel.Warning && e.Id.Id == 3003);
        Assert.Equal("error", _recorder.Of("gateway_health_probe_duration").Last().Labels["result"]);
        await CheckAsync(3);
        await CheckAsync(4);
        Assert.Equal(HostHealth.Unhealthy, _monitor.GetHealth("office", "h1"));
    }

    [Fact]
    public async Task HandlerThrows_MonitorKeepsChecking()
    {
        _monitor.HealthChanged += (_, _) => throw new InvalidOperationException("bad subscriber");
        await StartAsync(Target("h1"));
        _probe.Answer(new ProbeResult(ProbeOutcome.Closed));

        await CheckAsync(2);
        await CheckAsync(3);
        await CheckAsync(4);

        Assert.Equal(HostHealth.Unhealthy, _monitor.GetHealth("office", "h1"));
        Assert.Equal(2, _logger.Entries.Count(e => e.Id.Id == 3004));
    }

    [Fact]
    public async Task DisposeAsync_StopsEveryLoop_LaterUpdatesRejected()
    {
        await StartAsync(Target("h1"), Target("h2"));

        await _monitor.DisposeAsync();

        Assert.Equal(0, _monitor.RunningProbeLoops);
        Assert.Equal(0, _time.ActiveTimers);
        Assert.Throws<ObjectDisposedException>(() => _monitor.UpdateTargets([Target("h1")]));
        Assert.Equal(HostHealth.Unknown, _monitor.GetHealth("office", "h1"));
    }

    private static HealthTarget Target(string host) => new("office", host, "127.0.0.1", 5900, Settings);

    private int Checks() => _recorder.Of("gateway_health_probe_duration").Count();

    /// <summary>Sets targets and waits until each has had its first (immediate) check.</summary>
    private async Task StartAsync(params HealthTarget[] targets)
    {
        _monitor.UpdateTargets(targets);
        await Eventually.WaitAsync(() => Checks() == targets.Length && _time.ActiveTimers == targets.Length, "the first checks");
    }

    /// <summary>Moves the clock one interval, once the loop waits for it, and waits for check number <paramref name="n"/>.</summary>
    private async Task CheckAsync(int n)
    {
        await Eventually.WaitAsync(() => _time.ActiveTimers == 1, "the loop to wait for its next interval");
        _time.Advance(Settings.Interval);
        await Eventually.WaitAsync(() => Checks() == n, $"check {n}");
    }
}
