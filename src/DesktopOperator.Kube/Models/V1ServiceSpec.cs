using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

public sealed class V1ServiceSpec
{
    /// <summary><c>ClusterIP</c>, <c>NodePort</c>, <c>LoadBalancer</c> or <c>ExternalName</c>.</summary>
    public string? Type { get; set; }

    public IDictionary<string, string>? Selector { get; set; }

    public IList<V1ServicePort>? Ports { get; set; }

    public string? ClusterIP { get; set; }

    public IList<string>? ClusterIPs { get; set; }

    public string? SessionAffinity { get; set; }

    public bool? PublishNotReadyAddresses { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
