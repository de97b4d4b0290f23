namespace DesktopOperator.Runtime.Queues;

/// <summary>
/// Per-item exponential backoff: the n-th failure of an item waits baseDelay·2ⁿ⁻¹, capped at maxDelay
/// (client-go default 5 ms … 1000 s: 5, 10, 20, 40 ms … reaching the cap after 18 failures).
/// </summary>
public sealed class ItemExponentialFailureRateLimiter<T>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<T>
    where T : notnull
{
    private readonly Lock _gate = new();
    private readonly Dictionary<T, int> _failures = [];

    public ItemExponentialFailureRateLimiter()
        : this(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000))
    {
    }

    public TimeSpan NextDelay(T item)
    {
        int exponent;
        lock (_gate)
        {
            exponent = _failures.GetValueOrDefault(item);
            _failures[item] = exponent + 1;
        }

        var backoff = baseDelay.Ticks * Math.Pow(2, exponent);
        return backoff >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)backoff);
    }

    public void Forget(T item)
    {
        lock (_gate)
        {
            _failures.Remove(item);
        }
    }

    public int NumRequeues(T item)
    {
        lock (_gate)
        {
            return _failures.GetValueOrDefault(item);
        }
    }
}
