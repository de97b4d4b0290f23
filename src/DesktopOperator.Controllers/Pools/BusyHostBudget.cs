using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Runtime.Objects;
using k8s.Models;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// The pool's PodDisruptionBudget <c>&lt;pool&gt;-busy</c>: it selects the pool's hosts labelled busy and allows no
/// disruption of them, so <c>kubectl drain</c> (the eviction API) waits for their sessions while empty hosts are
/// evicted at once.
/// <para>
/// Why an integer minAvailable of int.MaxValue: maxUnavailable (and any percentage) makes the disruption controller
/// look up the pods' owner's <c>/scale</c> subresource; a DesktopPool has none, so the budget would go SyncFailed
/// (transcript 17). An integer minAvailable needs no owner: desiredHealthy is the number itself and
/// disruptionsAllowed = max(0, healthy − desired) = 0 always. A minAvailable that tracked the busy count would need a
/// write whenever it changes and would race with a host that just became busy.
/// </para>
/// </summary>
internal static class BusyHostBudget
{
    public static string NameFor(string pool) => pool.Length > 248 ? pool[..248] + "-busy" : pool + "-busy";

    public static V1PodDisruptionBudget Build(DesktopPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var budget = new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = new V1ObjectMeta
            {
                Name = NameFor(pool.Metadata.Name),
                NamespaceProperty = pool.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { [HostLabels.ManagedBy] = HostLabels.ManagedByValue, [HostLabels.Pool] = pool.Metadata.Name },
            },
            Spec = new V1PodDisruptionBudgetSpec
            {
                MinAvailable = int.MaxValue,
                Selector = new V1LabelSelector
                {
                    MatchLabels = new Dictionary<string, string> { [HostLabels.Pool] = pool.Metadata.Name, [HostLabels.Busy] = HostLabels.TrueValue },
                },
            },
        };
        OwnerReferences.SetControllerReference(pool, budget);
        return budget;
    }
}
