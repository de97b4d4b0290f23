using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Health.Probes;
using DesktopOperator.Metrics;
using DesktopOperator.Testing.Desktops;
using DesktopOperator.Testing.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.EndToEndTests.Health;

/// <summary>The protocol-aware probes and the monitor against real Xvnc, sshd and xrdp on loopback.</summary>
public sealed class RealServerHealthTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    [ToolFact("Xvnc", "setsid")]
    public async Task VncProbe_RealXvnc_Success_AndOtherProbesReject()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var xvnc = await XvncHost.StartAsync(new XvncHostOptions("probed", LoopbackPorts.Address(51)), cts.Token);

        await WaitUntilPassesAsync(new VncBannerProbe(VncCheckSecurity.VncAuth, xvnc.PasswordFile), xvnc.Endpoint);

        Assert.Equal(ProbeOutcome.Success, (await RunAsync(new TcpConnectProbe(), xvnc.Endpoint)).Outcome);
        Assert.Equal(ProbeOutcome.Timeout, (await RunAsync(new SshBannerProbe(), xvnc.Endpoint, TimeSpan.FromMilliseconds(500))).Outcome);
        Assert.NotEqual(ProbeOutcome.Success, (await RunAsync(new RdpX224Probe(), xvnc.Endpoint)).Outcome);
    }

    [ToolFact("sshd", "ssh-keygen", "setsid")]
    public async Task SshProbe_RealSshd_Success_AndVncProbeRejects()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var sshd = await SshdHost.StartAsync(new SshdHostOptions("probed", LoopbackPorts.Address(52)), cts.Token);

        await WaitUntilPassesAsync(new SshBannerProbe(), sshd.Endpoint);

        Assert.Equal(ProbeOutcome.Invalid, (await RunAsync(new VncBannerProbe(VncCheckSecurity.None), sshd.Endpoint)).Outcome);
    }

    [ToolFact("xrdp", "Xvnc", "setsid")]
    public async Task RdpProbe_RealXrdp_ConnectionConfirm_AndSshProbeRejects()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var xrdp = await XrdpHost.StartAsync(new XrdpHostOptions("probed", LoopbackPorts.Address(53)), cts.Token);

        await WaitUntilPassesAsync(new RdpX224Probe(), xrdp.Endpoint);

        Assert.Equal(ProbeOutcome.Timeout, (await RunAsync(new SshBannerProbe(), xrdp.Endpoint, TimeSpan.FromMilliseconds(500))).Outcome);
    }

    [ToolFact("Xvnc", "sshd", "ssh-keygen", "promtool", "setsid")]
    public async Task Monitor_RealHostsKilledByPid_UnhealthyAfterFall_MetricsPassPromtool()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var xvnc = await XvncHost.StartAsync(new XvncHostOptions("vnc-1", LoopbackPorts.Address(54)), cts.Token);
        await using var sshd = await SshdHost.StartAsync(new SshdHostOptions("ssh-1", LoopbackPorts.Address(55)), cts.Token);
        await WaitUntilPassesAsync(new VncBannerProbe(VncCheckSecurity.VncAuth, xvnc.PasswordFile), xvnc.Endpoint);
        await WaitUntilPassesAsync(new SshBannerProbe(), sshd.Endpoint);

        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var exporter = new PrometheusMetricsExporter(new PrometheusExporterOptions { MeterNames = [HealthMetrics.MeterName] });
        await using var monitor = new HostHealthMonitor(
            HealthProbes.Create, TimeProvider.System, () => 0, services.GetRequiredService<IMeterFactory>(), NullLogger<HostHealthMonitor>.Instance);
        var fast = new HealthCheckSettings { Interval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(1), Rise = 2, Fall = 3 };
        var vncHealthy = Await(monitor, "vnc-1", HostHealth.Healthy);
        var sshHealthy = Await(monitor, "ssh-1", HostHealth.Healthy);

        monitor.UpdateTargets(
        [
            new HealthTarget("e2e-vnc", "vnc-1", xvnc.Endpoint.Address.ToString(), xvnc.Endpoint.Port, fast with { Kind = ProbeKind.Vnc, VncSecurity = VncCheckSecurity.VncAuth, VncPasswordFile = xvnc.PasswordFile }),
            new HealthTarget("e2e-ssh", "ssh-1", sshd.Endpoint.Address.ToString(), sshd.Endpoint.Port, fast with { Kind = ProbeKind.Ssh }),
        ]);
        await Task.WhenAll(vncHealthy, sshHealthy).WaitAsync(WaitLimit);

        var vncDown = Await(monitor, "vnc-1", HostHealth.Unhealthy);
        await xvnc.KillAsync();
        await vncDown.WaitAsync(WaitLimit);
        Assert.Equal(HostHealth.Healthy, monitor.GetHealth("e2e-ssh", "ssh-1"));

        var text = await exporter.CollectAsync(CancellationToken.None);
        Assert.Contains("gateway_host_healthy{host=\"vnc-1\",pool=\"e2e-vnc\"} 0\n", text);
        Assert.Contains("gateway_host_healthy{host=\"ssh-1\",pool=\"e2e-ssh\"} 1\n", text);
        Assert.Contains("gateway_host_health_transitions_total{host=\"vnc-1\",pool=\"e2e-vnc\",to=\"unhealthy\"} 1\n", text);
        Assert.Contains("gateway_health_probe_duration_seconds_count{kind=\"ssh\",pool=\"e2e-ssh\",result=\"success\"}", text);
        var check = await ProcessRunner.RunAsync(ExternalTools.Require("promtool"), ["check", "metrics"], TimeSpan.FromSeconds(60), CancellationToken.None, standardInput: text);
        Assert.True(check.Succeeded && check.Stdout.Trim().Length == 0 && check.Stderr.Trim().Length == 0, $"{check}\n--- input ---\n{text}");
    }

    private static Task Await(HostHealthMonitor monitor, string host, HostHealth health)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.HealthChanged += (_, e) =>
        {
            if (e.Host == host && e.Current == health)
            {
                reached.TrySetResult();
            }
        };
        return reached.Task;
    }

    private static Task<ProbeResult> RunAsync(IHealthProbe probe, IPEndPoint endpoint, TimeSpan? timeout = null) =>
        HealthProbeRunner.RunAsync(probe, endpoint.Address.ToString(), endpoint.Port, timeout ?? TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);

    /// <summary>Servers take a moment to listen: probe until one passes, within the limit.</summary>
    private static async Task WaitUntilPassesAsync(IHealthProbe probe, IPEndPoint endpoint)
    {
        var clock = Stopwatch.StartNew();
        ProbeResult result;
        while (!(result = await RunAsync(probe, endpoint, TimeSpan.FromSeconds(2))).IsSuccess)
        {
            Assert.True(clock.Elapsed < WaitLimit, $"{probe.Name} on {endpoint} never passed: {result}");
            await Task.Delay(50);
        }
    }
}
