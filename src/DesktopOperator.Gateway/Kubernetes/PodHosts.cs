using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Model;
using DesktopOperator.Gateway.Pools;
using k8s.Models;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>
/// Pure translation of a pool's hosts into <see cref="GatewayHost"/>s in Kubernetes mode: a pool with
/// <c>spec.staticHosts</c> uses them; a template pool uses its pods (<see cref="HostRules.BelongsTo"/>) that have a
/// pod IP and have not ended. <see cref="HostRules"/> decides, as for the controllers: a pod that is not Ready gets no
/// connection; a draining or terminating pod keeps the users it has and takes no new ones.
/// </summary>
internal static class PodHosts
{
    public static IReadOnlyList<GatewayHost> Of(DesktopPool pool, IEnumerable<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(pods);
        if (pool.Spec.Template is null)
        {
            return DesktopPoolMapper.StaticHosts(pool);
        }

        var hosts = new List<GatewayHost>();
        foreach (var pod in pods)
        {
            if (!HostRules.BelongsTo(pod, pool) || HostRules.HasEnded(pod) || HostRules.Address(pod) is not { } address)
            {
                continue;
            }

            hosts.Add(ToHost(pod, address));
        }

        hosts.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return hosts;
    }

    private static GatewayHost ToHost(V1Pod pod, string address) => new(
        pod.Metadata.Name,
        address,
        Weight: 1,
        Ready: HostRules.IsReady(pod),
        Draining: HostRules.DrainReason(pod) is not null || HostRules.IsTerminating(pod),
        Uid: pod.Metadata.Uid);
}
