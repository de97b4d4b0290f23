using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

public sealed class V1EventSource
{
    public string? Component { get; set; }

    public string? Host { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
