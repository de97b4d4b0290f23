using DesktopOperator.Api.V1Alpha1;
using k8s.Models;

namespace DesktopOperator.Api.Hosts;

/// <summary>
/// The one reading of a session-host pod that the controllers and the gateway share: which pool it serves, whether it
/// is alive, and whether it takes new sessions. Pure functions of the pod (and pool), so the rule is tested once and
/// both sides agree on which host a new user may land on.
/// </summary>
public static class HostRules
{
    /// <summary>The pod's Ready condition is True.</summary>
    public static bool IsReady(V1Pod pod) =>
        pod?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>The pod has a deletionTimestamp: it is on its way out.</summary>
    public static bool IsTerminating(V1Pod pod) => pod?.Metadata?.DeletionTimestamp is not null;

    /// <summary>The pod's containers ended (phase Failed or Succeeded): it serves nothing any more.</summary>
    public static bool HasEnded(V1Pod pod) => pod?.Status?.Phase is "Failed" or "Succeeded";

    /// <summary>The value of the <see cref="HostLabels.Draining"/> label (the reason), or null when the host is not draining.</summary>
    public static string? DrainReason(V1Pod pod) =>
        pod?.Metadata?.Labels?.TryGetValue(HostLabels.Draining, out var reason) == true ? reason : null;

    /// <summary>Where the gateway reaches the pod (its pod IP), or null while it has none.</summary>
    public static string? Address(V1Pod pod) => pod?.Status?.PodIP is { Length: > 0 } ip ? ip : null;

    /// <summary>
    /// Why the pod takes no new session, or null when it does: it must not be terminating or ended, not be draining,
    /// be Ready and have a pod IP (checked in that order; the first reason is given).
    /// </summary>
    public static string? WhyNotUsable(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (IsTerminating(pod))
        {
            return "is terminating";
        }

        if (HasEnded(pod))
        {
            return "has ended";
        }

        if (DrainReason(pod) is { } reason)
        {
            return $"is draining ({reason})";
        }

        return IsReady(pod) && Address(pod) is not null ? null : "is not ready";
    }

    public static bool IsUsable(V1Pod pod) => WhyNotUsable(pod) is null;

    /// <summary>
    /// The pod is a host of <paramref name="pool"/>: labelled with its name, in its namespace and controlled by this very
    /// pool (its uid), so the leftovers of a deleted namesake are not taken for hosts of a new pool.
    /// </summary>
    public static bool BelongsTo(V1Pod pod, DesktopPool pool)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(pool);
        return pod.Metadata.Labels?.TryGetValue(HostLabels.Pool, out var name) == true
            && name == pool.Metadata.Name
            && pod.Metadata.NamespaceProperty == pool.Metadata.NamespaceProperty
            && pod.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == pool.Metadata.Uid) == true;
    }
}
