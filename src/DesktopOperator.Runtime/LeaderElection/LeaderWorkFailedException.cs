namespace DesktopOperator.Runtime.LeaderElection;

/// <summary>
/// The leader's work (<see cref="LeaderCallbacks.OnStartedLeading"/>) failed: the elector stopped leading, released
/// the Lease so another replica takes over at once, and <see cref="LeaderElector.RunAsync"/> ends with this.
/// The process should exit non-zero (as controller-runtime's manager does) and be restarted.
/// </summary>
public sealed class LeaderWorkFailedException : Exception
{
    public LeaderWorkFailedException()
    {
    }

    public LeaderWorkFailedException(string message)
        : base(message)
    {
    }

    public LeaderWorkFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The replica whose work failed.</summary>
    public string? Identity { get; private init; }

    internal static LeaderWorkFailedException For(string identity, Exception failure) =>
        new($"The leader work of {identity} failed: {failure.Message}", failure) { Identity = identity };
}
