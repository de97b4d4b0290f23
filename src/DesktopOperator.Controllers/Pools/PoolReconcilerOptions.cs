namespace DesktopOperator.Controllers.Pools;

/// <summary>Operator-wide settings of the DesktopPool controller.</summary>
internal sealed record PoolReconcilerOptions
{
    /// <summary>New-template hosts beyond the desired count during a rolling update.</summary>
    public int MaxSurge { get; init; } = 1;

    /// <summary>Delete a draining host with sessions after this long; null: wait for its last session.</summary>
    public TimeSpan? MaxDrainTime { get; init; }

    /// <summary>
    /// A deleted pool's busy hosts keep their sessions this long after the deletionTimestamp; then they are deleted and
    /// the finalizer removed.
    /// </summary>
    public TimeSpan PoolDeletionGrace { get; init; } = TimeSpan.FromHours(1);
}
