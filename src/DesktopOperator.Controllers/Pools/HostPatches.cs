using System.Text.Json.Nodes;
using DesktopOperator.Api.Hosts;

namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// The label and annotation changes of one plan, folded into one JSON merge patch per pod (null removes a key), so
/// a pass writes once per pod it changes and never touches the others.
/// </summary>
internal sealed class HostPatches
{
    private readonly Dictionary<string, (JsonObject Labels, JsonObject Annotations)> _byHost = new(StringComparer.Ordinal);

    public IEnumerable<string> Hosts => _byHost.Keys;

    public static HostPatches From(ScalePlan plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var patches = new HostPatches();
        var stamp = HostPodBuilder.Timestamp(now);
        foreach (var host in plan.MarkBusy)
        {
            patches.Set(host, HostLabels.Busy, HostLabels.TrueValue, HostLabels.IdleSince, null);
        }

        foreach (var host in plan.MarkIdle)
        {
            patches.Set(host, HostLabels.Busy, null, HostLabels.IdleSince, stamp);
        }

        foreach (var action in plan.Drain)
        {
            patches.Set(action.Host, HostLabels.Draining, action.Reason, HostLabels.DrainingSince, stamp);
        }

        foreach (var host in plan.Undrain)
        {
            patches.Set(host, HostLabels.Draining, null, HostLabels.DrainingSince, null);
        }

        return patches;
    }

    /// <summary>The merge patch of <paramref name="host"/>, with its resourceVersion as a precondition.</summary>
    public string Body(string host, string? resourceVersion)
    {
        var (labels, annotations) = _byHost[host];
        var metadata = new JsonObject { ["labels"] = labels.DeepClone(), ["annotations"] = annotations.DeepClone() };
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        return new JsonObject { ["metadata"] = metadata }.ToJsonString();
    }

    private void Set(string host, string label, string? labelValue, string annotation, string? annotationValue)
    {
        if (!_byHost.TryGetValue(host, out var patch))
        {
            _byHost[host] = patch = (new JsonObject(), new JsonObject());
        }

        patch.Labels[label] = labelValue;
        patch.Annotations[annotation] = annotationValue;
    }
}
