using System.Diagnostics;
using System.Diagnostics.Metrics;
using DesktopOperator.Gateway.Health;
using DesktopOperator.Gateway.Health.Probes;
using DesktopOperator.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace DesktopOperator.EndToEndTests.Health;

/// <summary>The protocol-aware probes and the monitor against real Xvnc and sshd on loopback.</summary>
public sealed class RealServerHealthTests
{
    private const string Xvnc = "/usr/bin/Xvnc";
    private const string Sshd = "/usr/sbin/sshd";
    private const string SshKeygen = "/usr/bin/ssh-keygen";
    private const string Promtool = "/usr/bin/promtool";
    private const string Xrdp = "/usr/sbin/xrdp";
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    [RequiresExecutableFact(Xvnc)]
    public async Task VncProbe_RealXvnc_Success_AndOtherProbesReject()
    {
        var port = ServerProcess.FreePort();
        await using var xvnc = StartXvnc(port);

        await WaitUntilPassesAsync(new VncBannerProbe(), port);

        Assert.Equal(ProbeOutcome.Success, (await RunAsync(new TcpConnectProbe(), port)).Outcome);
        Assert.Equal(ProbeOutcome.Timeout, (await RunAsync(new SshBannerProbe(), port, TimeSpan.FromMilliseconds(500))).Outcome);
        Assert.NotEqual(ProbeOutcome.Success, (await RunAsync(new RdpX224Probe(), port)).Outcome);
    }

    [RequiresExecutableFact(Sshd, SshKeygen)]
    public async Task SshProbe_RealSshd_Success_AndVncProbeRejects()
    {
        using var dir = new TempDirectory();
        var port = ServerProcess.FreePort();
        await using var sshd = await StartSshdAsync(dir.Path, port);

        await WaitUntilPassesAsync(new SshBannerProbe(), port);

        Assert.Equal(ProbeOutcome.Invalid, (await RunAsync(new VncBannerProbe(), port)).Outcome);
    }

    [RequiresExecutableFact(Xrdp)]
    public async Task RdpProbe_RealXrdp_ConnectionConfirm_AndSshProbeRejects()
    {
        using var dir = new TempDirectory();
        var port = ServerProcess.FreePort();
        var config = Path.Combine(dir.Path, "xrdp.ini");
        File.Copy("/etc/xrdp/xrdp.ini", config);
        await using var xrdp = ServerProcess.Start(Xrdp, "--nodaemon", "--port", port.ToString(), "--config", config);

        await WaitUntilPassesAsync(new RdpX224Probe(), port);

        Assert.Equal(ProbeOutcome.Timeout, (await RunAsync(new SshBannerProbe(), port, TimeSpan.FromMilliseconds(500))).Outcome);
    }

    [RequiresExecutableFact(Xvnc, Sshd, SshKeygen, Promtool)]
    public async Task Monitor_RealHostsKilledByPid_UnhealthyAfterFall_MetricsPassPromtool()
    {
        using var dir = new TempDirectory();
        var vncPort = ServerProcess.FreePort();
        var sshPort = ServerProcess.FreePort();
        await using var xvnc = StartXvnc(vncPort);
        await using var sshd = await StartSshdAsync(dir.Path, sshPort);
        await WaitUntilPassesAsync(new VncBannerProbe(), vncPort);
        await WaitUntilPassesAsync(new SshBannerProbe(), sshPort);

        await using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var exporter = new PrometheusMetricsExporter(new PrometheusExporterOptions { MeterNames = [HealthMetrics.MeterName] });
        await using var monitor = new HostHealthMonitor(
            HealthProbes.Create, TimeProvider.System, () => 0, services.GetRequiredService<IMeterFactory>(), NullLogger<HostHealthMonitor>.Instance);
        var fast = new HealthCheckSettings { Interval = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(1), Rise = 2, Fall = 3 };
        var vncHealthy = Await(monitor, "vnc-1", HostHealth.Healthy);
        var sshHealthy = Await(monitor, "ssh-1", HostHealth.Healthy);

        monitor.UpdateTargets(
        [
            new HealthTarget("e2e-vnc", "vnc-1", "127.0.0.1", vncPort, fast with { Kind = HealthCheckKind.Vnc }),
            new HealthTarget("e2e-ssh", "ssh-1", "127.0.0.1", sshPort, fast with { Kind = HealthCheckKind.Ssh }),
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
        var (exitCode, output) = await RunPromtoolAsync(text);
        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"promtool exit {exitCode}:\n{output}\n--- input ---\n{text}");
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

    private static ServerProcess StartXvnc(int port) =>
        ServerProcess.Start(Xvnc, "-displayfd", "1", "-rfbport", port.ToString(), "-localhost", "-SecurityTypes", "None", "-geometry", "640x480");

    private static async Task<ServerProcess> StartSshdAsync(string dir, int port)
    {
        var key = Path.Combine(dir, "ssh_host_ed25519_key");
        var keygen = ServerProcess.Start(SshKeygen, "-q", "-t", "ed25519", "-N", string.Empty, "-f", key);
        await keygen.DisposeAsync();
        Assert.True(File.Exists(key), "ssh-keygen made no host key");
        var config = Path.Combine(dir, "sshd_config");
        await File.WriteAllTextAsync(config, $"HostKey {key}\nPidFile {Path.Combine(dir, "sshd.pid")}\nUsePAM no\nStrictModes no\n");
        return ServerProcess.Start(Sshd, "-D", "-e", "-f", config, "-p", port.ToString(), "-o", "ListenAddress=127.0.0.1");
    }

    private static Task<ProbeResult> RunAsync(IHealthProbe probe, int port, TimeSpan? timeout = null) =>
        HealthProbeRunner.RunAsync(probe, "127.0.0.1", port, timeout ?? TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);

    /// <summary>Servers take a moment to listen: probe until one passes, within the limit.</summary>
    private static async Task WaitUntilPassesAsync(IHealthProbe probe, int port)
    {
        var clock = Stopwatch.StartNew();
        ProbeResult result;
        while (!(result = await RunAsync(probe, port, TimeSpan.FromSeconds(2))).IsSuccess)
        {
            Assert.True(clock.Elapsed < WaitLimit, $"{probe.Name} on port {port} never passed: {result}");
            await Task.Delay(50);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunPromtoolAsync(string text)
    {
        var start = new ProcessStartInfo(Promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            await process.StandardInput.WriteAsync(text.AsMemory(), cts.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cts.Token);
            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private sealed class TempDirectory : IDisposable
    {
        public TempDirectory() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "do-e2e-" + Guid.NewGuid().ToString("N"));

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
