using System.Collections.Concurrent;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Health.Probes;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.Gateway.Tests.Health;

/// <summary>The monitor on the real clock with short intervals, real probes and loopback hosts that die and return.</summary>
public sealed class HostHealthMonitorLoopbackTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task KilledHost_UnhealthyAfterFallChecks_BackAfterRiseChecks()
    {
        var settings = new HealthCheckSettings { Kind = ProbeKind.Vnc, VncSecurity = VncCheckSecurity.None, Interval = TimeSpan.FromMilliseconds(30), Timeout = TimeSpan.FromSeconds(2), Rise = 2, Fall = 3 };
        var banner = new FakeRfbServer("RFB 003.008\n").HandleAsync;
        var host = new LoopbackServer(banner);
        var port = host.Port;
        var probe = new RecordingProbe(HealthProbes.Create(settings));
        using var meters = new TestMeterFactory();
        await using var monitor = new HostHealthMonitor(_ => probe, TimeProvider.System, () => 0, meters, NullLogger<HostHealthMonitor>.Instance);
        var transitions = new ConcurrentQueue<(HostHealth Health, int ChecksSoFar)>();
        var changed = new SemaphoreSlim(0);
        monitor.HealthChanged += (_, e) =>
        {
            transitions.Enqueue((e.Current, probe.Results.Count));
            changed.Release();
        };

        monitor.UpdateTargets([new HealthTarget("office", "h1", "127.0.0.1", port, settings)]);
        Assert.True(await changed.WaitAsync(WaitLimit), "the host never became healthy");
        Assert.Equal(HostHealth.Healthy, monitor.GetHealth("office", "h1"));

        await host.DisposeAsync();
        Assert.True(await changed.WaitAsync(WaitLimit), "the killed host never became unhealthy");
        var down = transitions.Last();
        Assert.Equal(HostHealth.Unhealthy, down.Health);
        AssertStreak(probe.Results, down.ChecksSoFar, passed: false, length: settings.Fall);

        await using var revived = new LoopbackServer(banner, port);
        Assert.True(await changed.WaitAsync(WaitLimit), "the revived host never became healthy");
        var up = transitions.Last();
        Assert.Equal(HostHealth.Healthy, up.Health);
        AssertStreak(probe.Results, up.ChecksSoFar, passed: true, length: settings.Rise);
        Assert.Equal([HostHealth.Healthy, HostHealth.Unhealthy, HostHealth.Healthy], transitions.Select(t => t.Health));
    }

    [Fact]
    public async Task SilentHost_ChecksTimeOut_Unhealthy()
    {
        var settings = new HealthCheckSettings { Kind = ProbeKind.Ssh, Interval = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromMilliseconds(100), Rise = 1, Fall = 2 };
        await using var host = new LoopbackServer(LoopbackServer.Silent);
        var probe = new RecordingProbe(HealthProbes.Create(settings));
        using var meters = new TestMeterFactory();
        await using var monitor = new HostHealthMonitor(_ => probe, TimeProvider.System, () => 0, meters, NullLogger<HostHealthMonitor>.Instance);
        var unhealthy = new TaskCompletionSource();
        monitor.HealthChanged += (_, e) =>
        {
            if (e.Current == HostHealth.Unhealthy)
            {
                unhealthy.TrySetResult();
            }
        };

        monitor.UpdateTargets([new HealthTarget("office", "h1", "127.0.0.1", host.Port, settings)]);

        await unhealthy.Task.WaitAsync(WaitLimit);
        Assert.All(probe.Results.Take(2), r => Assert.Equal(ProbeOutcome.Timeout, r.Outcome));
    }

    // The `length` checks before the transition share the outcome, and the one before them (if any) differs.
    private static void AssertStreak(ConcurrentQueue<ProbeResult> results, int checksSoFar, bool passed, int length)
    {
        var all = results.Take(checksSoFar).ToList();
        Assert.True(all.Count >= length, $"only {all.Count} checks");
        Assert.All(all.TakeLast(length), r => Assert.Equal(passed, r.IsSuccess));
        if (all.Count > length)
        {
            Assert.NotEqual(passed, all[^(length + 1)].IsSuccess);
        }
    }

    private sealed class RecordingProbe(IHealthProbe inner) : IHealthProbe
    {
        public ConcurrentQueue<ProbeResult> Results { get; } = new();

        public string Name => inner.Name;

        public async Task<ProbeResult> ProbeAsync(string address, int port, CancellationToken cancellationToken)
        {
            try
            {
                var result = await inner.ProbeAsync(address, port, cancellationToken);
                Results.Enqueue(result);
                return result;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Results.Enqueue(new ProbeResult(ProbeOutcome.Timeout));
                throw;
            }
        }
    }
}
