using DesktopOperator.Testing.Processes;
using DesktopOperator.Testing.Waiting;

namespace DesktopOperator.Testing.Desktops;

/// <summary>
/// A virtual X display (Xvfb, no TCP listener) for X clients such as xfreerdp, which needs a display even with
/// +auth-only. One display serves any number of client runs. Ready once its X socket exists; retried on a display
/// number collision. Disposing stops it by PID.
/// </summary>
public sealed class XvfbDisplay : IAsyncDisposable
{
    private const int Attempts = 5;
    private readonly ChildProcess _process;

    private XvfbDisplay(ChildProcess process, int display)
    {
        _process = process;
        Display = display;
    }

    public int Display { get; }

    /// <summary>The DISPLAY value, ":N".</summary>
    public string Name => $":{Display}";

    public int ProcessId => _process.Id;

    public static async Task<XvfbDisplay> StartAsync(CancellationToken cancellationToken)
    {
        var xvfb = ExternalTools.Require("Xvfb");
        var failures = new List<string>();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var display = XDisplayNumbers.Next();
            var process = ChildProcess.Start(
                "xvfb", xvfb, [$":{display}", "-screen", "0", "1024x768x24", "-nolisten", "tcp"], HostLogs.CreateDirectory("xvfb"));
            var ready = await Eventually.HoldsAsync(
                () => process.HasExited || File.Exists($"/tmp/.X11-unix/X{display}"), TimeSpan.FromSeconds(15), cancellationToken);
            if (ready && !process.HasExited)
            {
                return new XvfbDisplay(process, display);
            }

            failures.Add($"attempt {attempt} (:{display}): {HostLogs.Describe(process.LogDirectory)}");
            var folder = process.LogDirectory;
            await process.DisposeAsync();
            HostLogs.Remove(folder);
        }

        throw new InvalidOperationException("Xvfb did not start:\n" + string.Join('\n', failures));
    }

    public async ValueTask DisposeAsync()
    {
        var folder = _process.LogDirectory;
        await _process.DisposeAsync();
        File.Delete($"/tmp/.X{Display}-lock");
        File.Delete($"/tmp/.X11-unix/X{Display}");
        HostLogs.Remove(folder);
    }
}
