namespace DesktopOperator.Gateway.Sessions;

/// <summary>
/// A conditional write of a route found it changed (or gone) since the version the writer read: the writer reads
/// the route again, decides again and retries (<see cref="RouteRetry"/>), like a <c>409 Conflict</c> on a resourceVersion.
/// </summary>
public sealed class RouteConflictException : Exception
{
    public RouteConflictException()
        : this("the route changed since it was read")
    {
    }

    public RouteConflictException(string message)
        : base(message)
    {
    }

    public RouteConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RouteConflictException(string pool, string key, string expectedVersion)
        : base($"route {pool} {key} changed since version '{expectedVersion}' was read")
    {
    }
}
