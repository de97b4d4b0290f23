using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Controllers.Pools;

/// <summary>The numbers the scale planner works with: the pool's capacity plus the operator's rollout options.</summary>
internal sealed record ScaleSettings
{
    public int SessionsPerHost { get; init; } = 1;

    public int MinHosts { get; init; } = 1;

    public int MaxHosts { get; init; } = 10;

    public int BufferSessions { get; init; } = 1;

    public TimeSpan ScaleDownDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Hosts made from the new template beyond the desired count during a rolling update (at least 1).</summary>
    public int MaxSurge { get; init; } = 1;

    /// <summary>A draining host with sessions is deleted after this long (announced by an event); null waits for ever.</summary>
    public TimeSpan? MaxDrainTime { get; init; }

    /// <summary>Creates at most this many hosts in one pass (the rest come on the next pass, at once).</summary>
    public int MaxCreatesPerPass { get; init; } = 50;

    public static ScaleSettings From(CapacitySpec capacity, TimeSpan scaleDownDelay, int maxSurge, TimeSpan? maxDrainTime)
    {
        ArgumentNullException.ThrowIfNull(capacity);
        return new ScaleSettings
        {
            SessionsPerHost = capacity.SessionsPerHost,
            MinHosts = capacity.MinHosts,
            MaxHosts = capacity.MaxHosts,
            BufferSessions = capacity.BufferSessions,
            ScaleDownDelay = scaleDownDelay,
            MaxSurge = Math.Max(1, maxSurge),
            MaxDrainTime = maxDrainTime,
        };
    }
}
