using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

public sealed class V1ServicePort
{
    public string? Name { get; set; }

    public string? Protocol { get; set; }

    public int Port { get; set; }

    /// <summary>A port number or a named container port, kept as JSON.</summary>
    public JsonElement? TargetPort { get; set; }

    public int? NodePort { get; set; }

    public string? AppProtocol { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
