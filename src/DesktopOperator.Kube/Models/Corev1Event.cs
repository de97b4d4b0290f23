using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

/// <summary>core/v1 Event (the form <c>kubectl describe</c> shows).</summary>
[KubernetesEntity(ApiVersion = "v1", Kind = "Event", PluralName = "events")]
public sealed class Corev1Event : KubernetesObject
{
    public V1ObjectReference InvolvedObject { get; set; } = new();

    /// <summary>CamelCase, machine-readable.</summary>
    public string? Reason { get; set; }

    public string? Message { get; set; }

    /// <summary><c>Normal</c> or <c>Warning</c>.</summary>
    public string? Type { get; set; }

    public int? Count { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? FirstTimestamp { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTimestamp { get; set; }

    [JsonConverter(typeof(KubeMicroTimeConverter))]
    public DateTimeOffset? EventTime { get; set; }

    public V1EventSource? Source { get; set; }

    public string? ReportingComponent { get; set; }

    public string? ReportingInstance { get; set; }

    public string? Action { get; set; }
}
