namespace DesktopOperator.Kube.Client;

/// <summary>
/// Which failures the client retries by itself, and how often. Only safe cases: reads (GET, LIST, opening a
/// watch) on 5xx, timeouts and connection errors; any verb on 429 (honouring Retry-After) and when the connection
/// could not be made (so the request was never sent). A write that got a 5xx is never retried here: it may have
/// been applied, and the caller's requeue re-reads the state.
/// </summary>
public sealed record KubeRetryPolicy
{
    public static KubeRetryPolicy Default { get; } = new();

    /// <summary>Total tries including the first; 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first backoff; each retry doubles it, capped at <see cref="MaxDelay"/>, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A server's Retry-After longer than this is not waited for: the error goes to the caller.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Backoff before retry <paramref name="retry"/> (1-based): half fixed, half random ("equal jitter").</summary>
    internal TimeSpan Backoff(int retry, double random)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retry - 1, 30));
        var capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (capped / 2 * random));
    }
}
