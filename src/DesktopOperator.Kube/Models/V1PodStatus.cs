using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

public sealed class V1PodStatus
{
    /// <summary><c>Pending</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c> or <c>Unknown</c>.</summary>
    public string? Phase { get; set; }

    public string? PodIP { get; set; }

    public IList<V1PodIP>? PodIPs { get; set; }

    public string? HostIP { get; set; }

    public string? Reason { get; set; }

    public string? Message { get; set; }

    public IList<V1PodCondition>? Conditions { get; set; }

    public IList<V1ContainerStatus>? ContainerStatuses { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? StartTime { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
