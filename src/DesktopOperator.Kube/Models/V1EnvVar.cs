using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

public sealed class V1EnvVar
{
    public string Name { get; set; } = "";

    public string? Value { get; set; }

    public JsonElement? ValueFrom { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
