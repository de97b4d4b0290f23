namespace DesktopOperator.Runtime.Queues;

/// <summary>Decides how long an item waits before it is retried (client-go's workqueue.TypedRateLimiter). Thread-safe.</summary>
public interface IRateLimiter<in T>
    where T : notnull
{
    /// <summary>The delay for the next retry of <paramref name="item"/>; counts as one failure.</summary>
    TimeSpan NextDelay(T item);

    /// <summary>The item succeeded: forget its failures.</summary>
    void Forget(T item);

    int NumRequeues(T item);
}
