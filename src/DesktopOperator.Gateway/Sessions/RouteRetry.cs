namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// The one retry loop for conditional route writes: runs an attempt (read the route, decide, write with the version
/// read) again while it fails with <see cref="RouteConflictException"/>. No delay between attempts: a conflict means
/// another write succeeded, and a store refreshes its view before it throws (see <see cref="IRouteStore"/>), so the next
/// attempt reads a newer version. After <see cref="MaxAttempts"/> the conflict is the caller's.
/// </summary>
internal static class RouteRetry
{
    /// <summary>
    /// Attempts per write. Writers of one route are few (a connection, its tracker, the expiry sweep, another replica),
    /// so a run of this many conflicts means a livelock or a store that never refreshes, not bad luck.
    /// </summary>
    public const int MaxAttempts = 16;

    public static ValueTask<T> OnConflictAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return OnConflictAsync(attempt, static (attempt, ct) => attempt(ct), cancellationToken);
    }

    /// <summary>
    /// The same, with the attempt's state passed in rather than captured: a static lambda allocates no closure, for the
    /// writes made per connection (<see cref="SessionTracker"/>).
    /// </summary>
    public static async ValueTask<T> OnConflictAsync<TState, T>(
        TState state, Func<TState, CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        for (var tries = 1; ; tries++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await attempt(state, cancellationToken).ConfigureAwait(false);
            }
            catch (RouteConflictException) when (tries < MaxAttempts)
            {
                // Read again and decide again: the next attempt sees the write that beat this one.
            }
        }
    }
}
