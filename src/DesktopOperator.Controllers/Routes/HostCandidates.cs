using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using k8s.Models;

namespace DesktopOperator.Controllers.Routes;

/// <summary>
/// The live hosts of a pool for the route controller: the static hosts of the spec, or the pool's pods that have not
/// failed and are not terminating (a pod that failed or is being deleted is gone for its routes). A pod takes new
/// sessions when it is Ready and not draining, as the gateway decides (the gateway also applies its own health checks).
/// </summary>
internal static class HostCandidates
{
    public static IReadOnlyList<HostCandidate> From(DesktopPool pool, IReadOnlyList<V1Pod> pods, Func<string, int> bound)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(bound);
        if (pool.Spec.StaticHosts is { } statics)
        {
            return [.. statics.Select(h => new HostCandidate(h.Name, h.Address, null, bound(h.Name)))];
        }

        var hosts = new List<HostCandidate>(pods.Count);
        foreach (var pod in pods)
        {
            if (HostRules.IsTerminating(pod) || HostRules.HasEnded(pod))
            {
                continue;
            }

            var name = pod.Metadata.Name;
            var created = pod.Metadata.CreationTimestamp is { } c ? new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : (DateTimeOffset?)null;
            hosts.Add(new HostCandidate(name, HostRules.Address(pod), HostRules.WhyNotUsable(pod), bound(name), created, pod.Metadata.Uid));
        }

        return hosts;
    }
}
