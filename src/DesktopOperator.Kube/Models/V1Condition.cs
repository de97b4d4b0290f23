using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

/// <summary>The shape of <c>metav1.Condition</c>.</summary>
public sealed class V1Condition
{
    /// <summary>CamelCase condition type, e.g. <c>Ready</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary><c>True</c>, <c>False</c> or <c>Unknown</c>.</summary>
    public string Status { get; set; } = "Unknown";

    /// <summary>The spec generation this condition was computed from.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>When <see cref="Status"/> last changed (not when the condition was last written).</summary>
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }

    /// <summary>CamelCase machine-readable reason for the last transition.</summary>
    public string Reason { get; set; } = "";

    /// <summary>A human-readable message with details about the transition.</summary>
    public string Message { get; set; } = "";

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
