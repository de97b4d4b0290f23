namespace DesktopOperator.Api.Routes;

/// <summary>What a periodic sweep does with one route (<see cref="RouteLifecycle.Sweep"/>).</summary>
public enum RouteSweep
{
    /// <summary>Nothing to do.</summary>
    Keep,

    /// <summary>The route's host is gone: the route becomes Failed (its user gets a new host on return).</summary>
    Fail,

    /// <summary><c>resumeFor</c> ran out: the route becomes Expired and is deleted, freeing its host slot.</summary>
    Expire,

    /// <summary>The route is deleted (Expired, Failed for long enough, an abandoned Pending one, or its pool is gone).</summary>
    Delete,

    /// <summary>
    /// An Active route no connection holds, found by the only gateway that counts connections (after a restart):
    /// it becomes Disconnected since now.
    /// </summary>
    Adopt,
}
