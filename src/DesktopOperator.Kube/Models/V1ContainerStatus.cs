using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

public sealed class V1ContainerStatus
{
    public string Name { get; set; } = "";

    public bool Ready { get; set; }

    public int RestartCount { get; set; }

    public string? Image { get; set; }

    public string? ImageID { get; set; }

    public string? ContainerID { get; set; }

    public bool? Started { get; set; }

    /// <summary>waiting / running / terminated, kept as JSON.</summary>
    public JsonElement? State { get; set; }

    public JsonElement? LastState { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
