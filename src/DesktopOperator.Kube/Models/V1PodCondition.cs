using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

/// <summary>A pod condition (<c>PodScheduled</c>, <c>Initialized</c>, <c>ContainersReady</c>, <c>Ready</c>).</summary>
public sealed class V1PodCondition
{
    public string Type { get; set; } = "";

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    public string Status { get; set; } = "Unknown";

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastProbeTime { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
