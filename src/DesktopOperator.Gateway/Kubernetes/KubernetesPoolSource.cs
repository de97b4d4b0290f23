using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.Validation;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Gateway.Pools;
using DesktopOperator.Runtime.Informers;
using k8s.Models;

namespace DesktopOperator.Gateway.Kubernetes;

/// <summary>
/// The gateway's view of the cluster: DesktopPools and their host pods (label <see cref="HostLabels.Pool"/>) of the
/// watched namespace (or all), from informers of the process's one <see cref="SharedInformerFactory"/>. Every change
/// only raises <see cref="Changes"/> (handlers never do work); <see cref="Plan"/> reads the caches as they are now
/// (level-based). Thread-safe.
/// </summary>
internal sealed class KubernetesPoolSource
{
    private readonly ISharedInformer<DesktopPool> _pools;
    private readonly ISharedInformer<V1Pod> _pods;

    public KubernetesPoolSource(SharedInformerFactory factory, string? namespaceName)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _pools = factory.GetInformer(new InformerOptions<DesktopPool> { Namespace = namespaceName });
        _pods = factory.GetInformer(new InformerOptions<V1Pod> { Namespace = namespaceName, LabelSelector = HostLabels.Pool });
        _pools.AddEventHandler(Notify<DesktopPool>());
        _pods.AddEventHandler(Notify<V1Pod>());
    }

    /// <summary>Completes at the next change of a pool or a host pod (take it before planning; see <see cref="Sessions.ChangeSignal"/>).</summary>
    public Sessions.ChangeSignal Changes { get; } = new();

    public bool HasSynced => _pools.HasSynced && _pods.HasSynced;

    /// <summary>
    /// The plan for the pools in the cache, oldest first (creation time, then namespace/name: the order in which the
    /// operator gives out gateway ports, so both agree on who keeps a contested port). Invalid pools are left out, each
    /// with its reasons in <see cref="GatewayPlan.Errors"/>.
    /// </summary>
    public GatewayPlan Plan()
    {
        var valid = new List<DesktopPool>();
        var invalid = new List<string>();
        foreach (var pool in _pools.Cache.List()
            .OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(DesktopPoolMapper.KeyOf, StringComparer.Ordinal))
        {
            var errors = DesktopPoolValidator.Validate(pool);
            if (errors.Count == 0)
            {
                valid.Add(pool);
            }
            else
            {
                invalid.AddRange(errors.Select(e => $"{DesktopPoolMapper.KeyOf(pool)}: {e}"));
            }
        }

        var plan = GatewayPlanner.Plan(valid, HostsOf);
        return invalid.Count == 0 ? plan : plan with { Errors = [.. invalid, .. plan.Errors] };
    }

    private IReadOnlyList<Model.GatewayHost> HostsOf(DesktopPool pool) =>
        PodHosts.Of(pool, pool.Spec.Template is null ? [] : _pods.Cache.ByIndex(Indexers.Label, Indexers.LabelValue(HostLabels.Pool, pool.Metadata.Name)));

    private ResourceEventHandler<T> Notify<T>()
        where T : class, k8s.IKubernetesObject<V1ObjectMeta> => new()
    {
        Added = (_, _) => Changes.Notify(),
        Updated = (_, _) => Changes.Notify(),
        Deleted = _ => Changes.Notify(),
    };
}
