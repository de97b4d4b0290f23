namespace DesktopOperator.Runtime.Controllers;

/// <summary>
/// Done, or come back after a delay. There is deliberately no "requeue now" and no result with an error: a
/// failure is an exception, so it gets backoff.
/// </summary>
public readonly record struct ReconcileResult
{
    private ReconcileResult(TimeSpan? requeueAfter) => RequeueAfterDelay = requeueAfter;

    public static ReconcileResult Done => default;

    /// <summary>Null for <see cref="Done"/>.</summary>
    public TimeSpan? RequeueAfterDelay { get; }

    public static ReconcileResult RequeueAfter(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        return new ReconcileResult(delay);
    }
}
