using DesktopOperator.Runtime.Queues;

namespace DesktopOperator.Runtime.Controllers;

public sealed record ControllerOptions
{
    /// <summary>The <c>controller</c> label of metrics and the queue's <c>name</c>; lower-case, e.g. <c>desktoppool</c>.</summary>
    public required string Name { get; init; }

    /// <summary>controller-runtime's MaxConcurrentReconciles; distinct keys run in parallel, one key never does.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Null gives <see cref="RateLimiters.Default{T}"/>.</summary>
    public IRateLimiter<ObjectKey>? RateLimiter { get; init; }
}
