using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

public sealed class V1PodSpec
{
    public IList<V1Container> Containers { get; set; } = [];

    public IList<V1Container>? InitContainers { get; set; }

    public string? NodeName { get; set; }

    /// <summary><c>Always</c>, <c>OnFailure</c> or <c>Never</c>.</summary>
    public string? RestartPolicy { get; set; }

    public string? ServiceAccountName { get; set; }

    public string? Hostname { get; set; }

    public string? Subdomain { get; set; }

    public long? TerminationGracePeriodSeconds { get; set; }

    public IDictionary<string, string>? NodeSelector { get; set; }

    public JsonElement? Volumes { get; set; }

    public JsonElement? SecurityContext { get; set; }

    public JsonElement? Tolerations { get; set; }

    public JsonElement? Affinity { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
