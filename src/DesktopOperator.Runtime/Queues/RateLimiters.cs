namespace DesktopOperator.Runtime.Queues;

public static class RateLimiters
{
    /// <summary>
    /// client-go's DefaultControllerRateLimiter: max(per-item exponential 5 ms … 1000 s, overall 10 qps / burst 100).
    /// The bucket only matters when many items fail at once; the per-item backoff governs a single failing key.
    /// </summary>
    public static IRateLimiter<T> Default<T>(TimeProvider? time = null)
        where T : notnull =>
        new MaxOfRateLimiter<T>(
            new ItemExponentialFailureRateLimiter<T>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
            new BucketRateLimiter<T>(10, 100, time));
}
