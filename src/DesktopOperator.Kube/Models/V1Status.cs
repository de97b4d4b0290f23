using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

/// <summary><c>metav1.Status</c>: the body of every API error and of some successful DELETEs.</summary>
public sealed class V1Status : KubernetesObject
{
    /// <summary><c>Success</c> or <c>Failure</c>.</summary>
    public string? Status { get; set; }

    public string? Message { get; set; }

    /// <summary>CamelCase machine-readable reason: NotFound, AlreadyExists, Conflict, Invalid, Expired, …</summary>
    public string? Reason { get; set; }

    public V1StatusDetails? Details { get; set; }

    public int? Code { get; set; }
}

public sealed class V1StatusDetails
{
    public string? Name { get; set; }

    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string? Uid { get; set; }

    public IList<V1StatusCause>? Causes { get; set; }

    public int? RetryAfterSeconds { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}

public sealed class V1StatusCause
{
    public string? Reason { get; set; }

    public string? Message { get; set; }

    public string? Field { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
