using System.Diagnostics;

namespace DesktopOperator.Testing.Processes;

/// <summary>
/// Runs an external tool to completion with a time limit, capturing its output. On timeout or cancellation the tool's
/// process group and descendants are killed by id (it runs under setsid), so nothing outlives the call. The only
/// runner the tests use: tools are never started any other way.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string executable,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null,
        string? standardInput = null,
        string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(ExternalTools.Require("setsid"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        info.ArgumentList.Add(executable);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var command = executable + " " + string.Join(' ', arguments);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {command}");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            timedOut = true;
            ProcessSignals.KillTree(process.Id);
            using var exitWait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await process.WaitForExitAsync(exitWait.Token);
        }
        finally
        {
            // Helpers the tool left behind in its group (xvfb-run's server, say) would otherwise outlive the run.
            ProcessSignals.SignalGroup(process.Id, ProcessSignals.SigKill);
        }

        var result = new ProcessResult(
            command, timedOut ? -1 : process.ExitCode, await stdout, await stderr, timedOut, watch.Elapsed);
        cancellationToken.ThrowIfCancellationRequested();
        return result;
    }
}
