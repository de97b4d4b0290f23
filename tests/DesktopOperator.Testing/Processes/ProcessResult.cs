namespace DesktopOperator.Testing.Processes;

/// <summary>The outcome of a bounded run of an external tool.</summary>
/// <param name="ExitCode">The exit code, or -1 when the run was killed on timeout.</param>
public sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr, bool TimedOut, TimeSpan Elapsed)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>A description for assertion messages: command, exit code and both outputs.</summary>
    public override string ToString() =>
        $"`{Command}` exit={ExitCode}{(TimedOut ? " (killed on timeout)" : string.Empty)} after {Elapsed.TotalSeconds:F1}s\n" +
        $"--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
