using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>Limits on sessions.</summary>
public sealed class SessionsSpec
{
    /// <summary>Close a connection that moved no bytes either way for this long. Unset: never.</summary>
    [Duration]
    [Length(1, 32)]
    public string? IdleTimeout { get; set; }

    /// <summary>
    /// How long a disconnected session keeps counting against its host's slots (and so keeps the host from being
    /// removed). Unset: as long as affinity.resumeFor.
    /// </summary>
    [Duration]
    [Length(1, 32)]
    public string? DisconnectedTimeout { get; set; }

    /// <summary>How many sessions (routes) one user may hold in the pool at once.</summary>
    [Range(1, 100)]
    public int MaxPerUser { get; set; } = 1;

    /// <summary>Queue or Reject: what happens to a new user when the pool is full.</summary>
    public FullPoolAction WhenFull { get; set; } = FullPoolAction.Queue;
}
