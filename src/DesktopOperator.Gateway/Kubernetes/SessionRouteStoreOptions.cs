namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>How <see cref="SessionRouteStore"/> writes SessionRoute objects.</summary>
internal sealed record SessionRouteStoreOptions
{
    /// <summary>
    /// Least time between two status writes of one route. Connection opens and closes change a route's status
    /// (Active/Disconnected, last-seen, connection count); within an interval only the newest state is written.
    /// </summary>
    public TimeSpan StatusWriteInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a write made on the caller's behalf (a create, a host bind, a delete) may wait for the API server before
    /// the store keeps it locally and owes it: a connection is never held longer than this by an unreachable server.
    /// </summary>
    public TimeSpan InlineWriteTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>First wait before an owed write is tried again while the API server is unreachable; doubles per failure.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait between two tries while the API server is unreachable.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most routes that may owe a write at once. Each route owes at most one (its newest state), so this bounds memory
    /// during an outage: beyond it, a route that owes nothing yet cannot be created or changed until writes land again.
    /// </summary>
    public int MaxOwedRoutes { get; init; } = 10_000;
}
