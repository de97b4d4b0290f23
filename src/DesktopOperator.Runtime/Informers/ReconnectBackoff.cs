namespace DesktopOperator.Runtime.Informers;

/// <summary>
/// Exponential backoff with jitter for reconnects: the n-th consecutive failure waits initial·2ⁿ capped at max,
/// stretched by a random factor in [1, 2) so replicas that failed together do not retry together. Not thread-safe.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    private int _failures;

    public TimeSpan Next()
    {
        var baseDelay = initial * Math.Pow(2, Math.Min(_failures, 30));
        _failures++;
        if (baseDelay > max)
        {
            baseDelay = max;
        }

        return baseDelay * (1 + random.NextDouble());
    }

    public void Reset() => _failures = 0;
}
