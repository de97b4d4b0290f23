namespace DesktopOperator.Runtime.LeaderElection;

/// <summary>
/// client-go's LeaderElectionConfig with its defaults (15 s / 10 s / 2 s). Worst case, a failed leader is
/// replaced within LeaseDuration plus two retry periods, and it stops acting on its own after RenewDeadline,
/// which is shorter than LeaseDuration, so two replicas never act as leader at once even if the old one is cut
/// off from the API server (given clocks that run at the same rate; no synchronisation is assumed).
/// </summary>
public sealed record LeaderElectionOptions
{
    public required string Namespace { get; init; }

    public required string LeaseName { get; init; }

    /// <summary>Unique per replica (the pod name), written as the Lease's holderIdentity.</summary>
    public required string Identity { get; init; }

    /// <summary>How long others wait after the last observed renewal before taking over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps acting without a successful renewal before it stops leading.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between attempts to acquire or renew (jittered by up to +120% while acquiring).</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On graceful shutdown, clear holderIdentity so another replica takes over at once.</summary>
    public bool ReleaseOnCancel { get; init; } = true;

    internal const double JitterFactor = 1.2;

    internal void Validate()
    {
        if (LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException("LeaseDuration must be greater than RenewDeadline");
        }

        if (RenewDeadline <= RetryPeriod * JitterFactor)
        {
            throw new ArgumentException("RenewDeadline must be greater than RetryPeriod × 1.2");
        }

        if (RetryPeriod <= TimeSpan.Zero || string.IsNullOrEmpty(Identity))
        {
            throw new ArgumentException("RetryPeriod must be positive and Identity set");
        }
    }
}
