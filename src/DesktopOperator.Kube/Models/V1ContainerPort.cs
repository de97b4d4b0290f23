using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

public sealed class V1ContainerPort
{
    public string? Name { get; set; }

    public int ContainerPort { get; set; }

    /// <summary><c>TCP</c> (server default), <c>UDP</c> or <c>SCTP</c>.</summary>
    public string? Protocol { get; set; }

    public int? HostPort { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
