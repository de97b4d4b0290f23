namespace DesktopOperator.Controllers.Routes;

/// <summary>
/// Picks the host for a route created without one (e.g. <c>kubectl apply</c> by a portal): the usable host with a free
/// slot and the fewest bound routes, ties broken by name so that every replica and every retry agrees. This is the
/// operator's choice only: the gateway's routing engine binds the routes of connecting users with its own balancer
/// (the pool's <c>spec.balancing</c>, health checks included), which the operator does not run.
/// </summary>
internal static class HostChoice
{
    /// <summary>The chosen host, or null when every usable host is full (the route waits).</summary>
    public static HostCandidate? LeastSessions(IReadOnlyList<HostCandidate> hosts, int sessionsPerHost)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        HostCandidate? best = null;
        foreach (var host in hosts)
        {
            if (!host.Usable || host.Bound >= sessionsPerHost)
            {
                continue;
            }

            if (best is null || host.Bound < best.Bound || (host.Bound == best.Bound && string.CompareOrdinal(host.Name, best.Name) < 0))
            {
                best = host;
            }
        }

        return best;
    }

    /// <summary>Free slots on usable hosts: how many waiting routes may bind now, first come first served.</summary>
    public static int FreeSlots(IReadOnlyList<HostCandidate> hosts, int sessionsPerHost)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        var free = 0;
        foreach (var host in hosts)
        {
            if (host.Usable)
            {
                free += Math.Max(0, sessionsPerHost - host.Bound);
            }
        }

        return free;
    }
}
