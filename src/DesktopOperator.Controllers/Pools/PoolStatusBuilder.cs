using DesktopOperator.Api.Validation;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Runtime.Objects;
using k8s.Models;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// The status of a pool as DESIGN.md lists it (counts, hosts, conditions Ready, Degraded, ScalingLimited and
/// Progressing), computed from what the reconciler saw. Pure; keeps each condition's lastTransitionTime unless its
/// status flips.
/// </summary>
internal static class PoolStatusBuilder
{
    public static DesktopPoolStatus Invalid(DesktopPool pool, IReadOnlyList<ValidationError> errors, RouteCounts routes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var message = string.Join("; ", errors.Select(e => e.ToString()));
        var status = Counts(pool, routes, []);
        var conditions = Existing(pool);
        Set(conditions, pool, ConditionTypes.Ready, false, ConditionReasons.InvalidSpec, message, now);
        Set(conditions, pool, ConditionTypes.Degraded, true, ConditionReasons.InvalidSpec, message, now);
        status.Conditions = conditions;
        return status;
    }

    public static DesktopPoolStatus Build(DesktopPool pool, IReadOnlyList<(HostView Host, string? Address)> hosts, RouteCounts routes, ScalePlan? plan, int sessionsPerHost, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(hosts);
        var status = Counts(pool, routes, hosts.Where(h => !h.Host.Terminating).ToList());
        status.FreeSlots = hosts
            .Where(h => HostViews.State(h.Host) == HostState.Ready)
            .Sum(h => Math.Max(0, sessionsPerHost - h.Host.BoundRoutes));
        var failed = hosts.Count(h => h.Host.Failed);
        var conditions = Existing(pool);
        var readyServing = hosts.Count(h => HostViews.State(h.Host) == HostState.Ready);
        if (readyServing == 0)
        {
            Set(conditions, pool, ConditionTypes.Ready, false, ConditionReasons.NoReadyHosts,
                status.TotalHosts == 0 ? "the pool has no hosts" : $"none of {status.TotalHosts} host(s) is ready to take sessions", now);
        }
        else if (status.FreeSlots == 0)
        {
            Set(conditions, pool, ConditionTypes.Ready, false, ConditionReasons.PoolFull, $"every slot of {status.ReadyHosts} ready host(s) is taken", now);
        }
        else
        {
            Set(conditions, pool, ConditionTypes.Ready, true, ConditionReasons.HostsReady, $"{status.FreeSlots} free slot(s) on {status.ReadyHosts} ready host(s)", now);
        }

        Set(conditions, pool, ConditionTypes.Degraded, failed > 0, failed > 0 ? ConditionReasons.HostsFailed : ConditionReasons.AsExpected,
            failed > 0 ? $"{failed} host(s) failed and are being replaced" : "no failed hosts", now);
        if (plan is not null)
        {
            Set(conditions, pool, ConditionTypes.ScalingLimited, plan.ScalingLimited,
                plan.ScalingLimited ? ConditionReasons.MaxHostsReached : ConditionReasons.WithinLimits,
                plan.ScalingLimited
                    ? $"{routes.Sessions} session(s) and the buffer need {plan.Wanted} host(s), maxHosts is {plan.Desired}; {routes.Pending} pending"
                    : $"{plan.Desired} host(s) desired within [minHosts, maxHosts]", now);
            var (progressing, reason) = Progress(plan, hosts);
            Set(conditions, pool, ConditionTypes.Progressing, progressing, reason, progressing ? $"{plan.Desired} host(s) desired, {status.TotalHosts} present" : "hosts as desired", now);
        }

        status.Conditions = conditions;
        return status;
    }

    /// <summary>Static pools: the hosts come from the spec; the gateway checks their health.</summary>
    public static DesktopPoolStatus Static(DesktopPool pool, RouteCounts routes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var hosts = pool.Spec.StaticHosts ?? [];
        var status = Counts(pool, routes, []);
        status.TotalHosts = hosts.Count;
        status.UpdatedHosts = hosts.Count; // No template, nothing to roll out.
        status.Hosts = [.. hosts.Select(h => new HostStatus
        {
            Name = h.Name, Address = h.Address, State = HostState.Ready,
            ActiveSessions = routes.PerHost.GetValueOrDefault(h.Name).Active, DisconnectedSessions = routes.PerHost.GetValueOrDefault(h.Name).Disconnected,
        })];
        var conditions = Existing(pool);
        Set(conditions, pool, ConditionTypes.Ready, hosts.Count > 0, ConditionReasons.HostsReady, $"{hosts.Count} static host(s); the gateway checks their health", now);
        Set(conditions, pool, ConditionTypes.Degraded, false, ConditionReasons.AsExpected, "static hosts are not managed by the operator", now);
        status.Conditions = conditions;
        return status;
    }

    private static DesktopPoolStatus Counts(DesktopPool pool, RouteCounts routes, List<(HostView Host, string? Address)> hosts) => new()
    {
        ObservedGeneration = pool.Metadata.Generation,
        TotalHosts = hosts.Count,
        ReadyHosts = hosts.Count(h => h.Host.Ready && !h.Host.Failed),
        DrainingHosts = hosts.Count(h => h.Host.Draining),
        UpdatedHosts = hosts.Count(h => !h.Host.Outdated),
        OutdatedHosts = hosts.Count(h => h.Host.Outdated),
        ActiveSessions = routes.Active,
        DisconnectedSessions = routes.Disconnected,
        PendingSessions = routes.Pending,
        Hosts = hosts.Count == 0 ? null : [.. hosts.OrderBy(h => h.Host.Name, StringComparer.Ordinal).Select(h => HostStatusOf(h.Host, h.Address, routes))],
    };

    private static HostStatus HostStatusOf(HostView host, string? address, RouteCounts routes)
    {
        var sessions = routes.PerHost.GetValueOrDefault(host.Name);
        return new HostStatus
        {
            Name = host.Name,
            Address = address,
            State = HostViews.State(host),
            ActiveSessions = sessions.Active,
            DisconnectedSessions = sessions.Disconnected,
            Message = host switch
            {
                { DrainReason: { } reason } => $"draining ({reason}), {host.BoundRoutes} session(s) left",
                { Failed: true } => "the pod failed",
                { Outdated: true } => "made from an older template",
                _ => null,
            },
        };
    }

    private static (bool, string) Progress(ScalePlan plan, IReadOnlyList<(HostView Host, string? Address)> hosts) => plan switch
    {
        _ when hosts.Any(h => h.Host.Outdated && h.Host.Alive) => (true, ConditionReasons.RollingUpdate),
        { Create: > 0 } => (true, ConditionReasons.ScalingUp),
        _ when plan.Drain.Count > 0 || plan.Delete.Count > 0 => (true, ConditionReasons.ScalingDown),
        _ when hosts.Any(h => h.Host.Draining && h.Host.Alive) => (true, ConditionReasons.Draining),
        _ => (false, ConditionReasons.Stable),
    };

    private static List<V1Condition> Existing(DesktopPool pool) =>
        [.. (pool.Status?.Conditions ?? []).Select(c => new V1Condition
        {
            Type = c.Type, Status = c.Status, Reason = c.Reason, Message = c.Message, ObservedGeneration = c.ObservedGeneration, LastTransitionTime = c.LastTransitionTime,
        })];

    private static void Set(List<V1Condition> conditions, DesktopPool pool, string type, bool value, string reason, string message, DateTimeOffset now) =>
        Conditions.Set(conditions, new V1Condition
        {
            Type = type, Status = value ? Conditions.True : Conditions.False, Reason = reason, Message = message, ObservedGeneration = pool.Metadata.Generation,
        }, now);
}
