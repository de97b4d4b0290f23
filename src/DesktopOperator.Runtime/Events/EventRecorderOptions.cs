namespace DesktopOperator.Runtime.Events;

public sealed record EventRecorderOptions
{
    /// <summary>source.component and reportingComponent, e.g. <c>desktop-operator</c>.</summary>
    public required string Component { get; init; }

    /// <summary>source.host and reportingInstance (the pod name); optional.</summary>
    public string? Instance { get; init; }

    /// <summary>Events waiting to be written; beyond this, new ones are dropped (and counted).</summary>
    public int Capacity { get; init; } = 1000;

    /// <summary>A repeat of the same (object, type, reason, message) within this window updates count and lastTimestamp.</summary>
    public TimeSpan DedupeWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Distinct events remembered for de-duplication (client-go keeps 4096).</summary>
    public int MaxRemembered { get; init; } = 4096;
}
