namespace DesktopOperator.Gateway.Health;

/// <summary>The outcome of one check, with a short reason for logs (never user data).</summary>
internal readonly record struct ProbeResult(ProbeOutcome Outcome, string? Detail = null)
{
    public static ProbeResult Success { get; } = new(ProbeOutcome.Success);

    public bool IsSuccess => Outcome == ProbeOutcome.Success;

    /// <summary>False when the check never reached the host (<see cref="ProbeOutcome.NotRun"/>).</summary>
    public bool IsVerdict => Outcome != ProbeOutcome.NotRun;

    /// <summary>The <c>result</c> label of probe metrics.</summary>
    public string Label => Outcome switch
    {
        ProbeOutcome.Success => "success",
        ProbeOutcome.ConnectFailed => "connect_failed",
        ProbeOutcome.Timeout => "timeout",
        ProbeOutcome.Closed => "closed",
        ProbeOutcome.Invalid => "invalid",
        ProbeOutcome.NotRun => "not_run",
        _ => "error",
    };

    /// <summary>Why a check failed, for the log line of a state change: e.g. <c>connect_failed (ConnectionRefused)</c>.</summary>
    public string Cause => Detail is null ? Label : $"{Label} ({Detail})";

    public static ProbeResult Invalid(string detail) => new(ProbeOutcome.Invalid, detail);

    public static ProbeResult Closed(int received) => new(ProbeOutcome.Closed, $"closed after {received} bytes");
}
