using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

public sealed class V1NamespaceStatus
{
    /// <summary><c>Active</c> or <c>Terminating</c>.</summary>
    public string? Phase { get; set; }

    public JsonElement? Conditions { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
