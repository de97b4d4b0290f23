using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.V1Alpha1;

/// <summary>
/// Session-based scaling: the operator keeps at least <c>bufferSessions</c> free slots on ready hosts, within
/// [minHosts, maxHosts], and removes only hosts with no sessions. Static pools use sessionsPerHost only.
/// </summary>
[CelRule("self.minHosts <= self.maxHosts", "spec.capacity: minHosts must not exceed maxHosts")]
public sealed class CapacitySpec
{
    /// <summary>How many sessions one host takes at once.</summary>
    [Range(1, 1000)]
    public int SessionsPerHost { get; set; } = 1;

    /// <summary>The fewest hosts the pool runs, even with no sessions.</summary>
    [Range(0, 1000)]
    public int MinHosts { get; set; } = 1;

    /// <summary>The most hosts the pool runs; when they are full, new users queue or are rejected (sessions.whenFull).</summary>
    [Range(0, 1000)]
    public int MaxHosts { get; set; } = 10;

    /// <summary>Free session slots kept warm on ready hosts, so a new user does not wait for a host to start.</summary>
    [Range(0, 10000)]
    public int BufferSessions { get; set; } = 1;

    /// <summary>How long a host must have been surplus and empty before it is removed.</summary>
    [Duration]
    [Length(1, 32)]
    public string ScaleDownDelay { get; set; } = "5m";
}
