namespace DesktopOperator.Controllers.Routes;

/// <summary>
/// One host of a pool as the SessionRoute controller sees it: free of Kubernetes types so the binding rules can be
/// tested without I/O.
/// </summary>
/// <param name="Name">The host's name: the pod name, or the static host's name.</param>
/// <param name="Address">Where the gateway reaches it (pod IP or static address); null while a pod has none.</param>
/// <param name="Unusable">Why the host takes no new session (not ready, draining), or null when it does.</param>
/// <param name="Bound">Routes that hold a slot on it (Bound, Active, Disconnected), including binds not yet in the cache.</param>
/// <param name="CreatedAt">When the pod was created (null for static hosts): a pod of the same name created after a
/// route was bound is a replacement, not the route's host (the rule for routes that recorded no <paramref name="Uid"/>).</param>
/// <param name="Uid">The pod's uid (null for static hosts): a route that recorded another uid for this name lost its host.</param>
internal sealed record HostCandidate(string Name, string? Address, string? Unusable, int Bound, DateTimeOffset? CreatedAt = null, string? Uid = null)
{
    public bool Usable => Unusable is null;
}
