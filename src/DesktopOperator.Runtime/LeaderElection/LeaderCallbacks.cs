namespace DesktopOperator.Runtime.LeaderElection;

/// <summary>What a <see cref="LeaderElector"/> calls as leadership changes.</summary>
public sealed record LeaderCallbacks
{
    /// <summary>
    /// Run while leading. The token is cancelled the moment leadership may be lost (renew deadline passed, another
    /// holder seen, or shutdown): stop all leader-only work then. The elector waits for the returned task before
    /// it releases the lease or campaigns again.
    /// </summary>
    public Func<CancellationToken, Task>? OnStartedLeading { get; init; }

    /// <summary>Called after leading ended and <see cref="OnStartedLeading"/>'s task finished.</summary>
    public Action? OnStoppedLeading { get; init; }

    /// <summary>Called when a different holder identity is observed (including ourselves).</summary>
    public Action<string>? OnNewLeader { get; init; }
}
