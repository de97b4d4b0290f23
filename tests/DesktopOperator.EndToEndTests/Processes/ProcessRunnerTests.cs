using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.EndToEndTests.Processes;

public sealed class ProcessRunnerTests
{
    [ToolFact("setsid")]
    public async Task RunAsync_Completes_ReturnsExitCodeAndOutput()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromSeconds(20), cts.Token);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
        Assert.False(result.TimedOut);
    }

    [ToolFact("setsid")]
    public async Task RunAsync_Timeout_KillsToolAndWhatItForked()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var pidFile = Path.Combine(Path.GetTempPath(), $"runner-{Guid.NewGuid():N}.pid");
        try
        {
            // The shell forks a sleeper in the background and records its PID, then waits forever itself.
            var result = await ProcessRunner.RunAsync(
                "/bin/sh", ["-c", $"sleep 300 & echo $! > {pidFile}; wait"], TimeSpan.FromSeconds(2), cts.Token);
            var sleeper = int.Parse(File.ReadAllText(pidFile).Trim());

            Assert.True(result.TimedOut);
            Assert.Equal(-1, result.ExitCode);
            Assert.True(await Eventually.HoldsAsync(() => !ProcessSignals.IsAlive(sleeper), TimeSpan.FromSeconds(10), cts.Token));
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    [ToolFact("setsid")]
    public async Task ChildProcessDispose_RunningTool_StopsItByPidAndKeepsItsOutput()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var folder = Path.Combine(Path.GetTempPath(), $"child-{Guid.NewGuid():N}");
        try
        {
            var child = ChildProcess.Start("sleeper", "/bin/sh", ["-c", "echo started; exec sleep 300"], folder);
            Assert.True(await Eventually.HoldsAsync(() => child.ReadOutput().Contains("started", StringComparison.Ordinal), TimeSpan.FromSeconds(10), cts.Token));
            var pid = child.Id;

            await child.DisposeAsync();

            Assert.False(ProcessSignals.IsAlive(pid));
            Assert.Equal("started\n", File.ReadAllText(Path.Combine(folder, "sleeper.stdout.log")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
