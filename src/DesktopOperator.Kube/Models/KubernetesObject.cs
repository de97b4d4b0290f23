using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

/// <summary>
/// Base of every model. Fields this code does not know are kept in <see cref="ExtensionData"/> and written back
/// unchanged, so a read-modify-write never drops what a newer server or another client set.
/// </summary>
public abstract class KubernetesObject : IKubernetesObject
{
    [JsonPropertyOrder(-3)]
    public string? ApiVersion { get; set; }

    [JsonPropertyOrder(-2)]
    public string? Kind { get; set; }

    [JsonPropertyOrder(-1)]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
