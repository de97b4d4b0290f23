using System.Diagnostics;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Metrics.Tests;

/// <summary>Runs <c>promtool check metrics</c> on a text; the process is killed by PID if it outlives the timeout.</summary>
internal static class Promtool
{
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string text, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(ExternalTools.Require("promtool"), ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            await process.StandardInput.WriteAsync(text.AsMemory(), cts.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cts.Token);
            return (process.ExitCode, (await stdout) + (await stderr));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
