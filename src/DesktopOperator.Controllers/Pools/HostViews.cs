using System.Globalization;
using DesktopOperator.Api.Hosts;
using DesktopOperator.Api.V1Alpha1;
using k8s.Models;

namespace DesktopOperator.Controllers.Pools;

/// <summary>Reads the planner's <see cref="HostView"/> off a host pod, its routes and its node.</summary>
internal static class HostViews
{
    public static HostView From(V1Pod pod, string templateHash, RouteCounts routes, Func<string, bool> nodeCordoned)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(routes);
        IDictionary<string, string> labels = pod.Metadata.Labels ?? new Dictionary<string, string>();
        IDictionary<string, string> annotations = pod.Metadata.Annotations ?? new Dictionary<string, string>();
        return new HostView
        {
            Name = pod.Metadata.Name,
            Ready = HostRules.IsReady(pod),
            Failed = HostRules.HasEnded(pod),
            Terminating = HostRules.IsTerminating(pod),
            Outdated = Get(labels, HostLabels.TemplateHash) != templateHash,
            NodeCordoned = pod.Spec?.NodeName is { Length: > 0 } node && nodeCordoned(node),
            DrainReason = HostRules.DrainReason(pod),
            DrainingSince = Parse(Get(annotations, HostLabels.DrainingSince)),
            BoundRoutes = routes.BoundTo(pod.Metadata.Name),
            LabelledBusy = Get(labels, HostLabels.Busy) == HostLabels.TrueValue,
            IdleSince = Parse(Get(annotations, HostLabels.IdleSince)),
            CreatedAt = pod.Metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : DateTimeOffset.MinValue,
        };
    }

    public static bool IsReady(V1Pod pod) => HostRules.IsReady(pod);

    /// <summary>Starting, Ready, Unhealthy (was running, now not Ready, or failed) or Draining.</summary>
    public static HostState State(HostView host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host switch
        {
            { Draining: true } or { Terminating: true } => HostState.Draining,
            { Failed: true } => HostState.Unhealthy,
            { Ready: true } => HostState.Ready,
            _ => HostState.Starting,
        };
    }

    private static string? Get(IDictionary<string, string> values, string key) => values.TryGetValue(key, out var value) ? value : null;

    private static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) ? value : null;
}
