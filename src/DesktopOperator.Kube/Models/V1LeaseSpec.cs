using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

/// <summary>MicroTime fields are written with exactly six fractional digits (the server rejects other forms).</summary>
public sealed class V1LeaseSpec
{
    public string? HolderIdentity { get; set; }

    public int? LeaseDurationSeconds { get; set; }

    [JsonConverter(typeof(KubeMicroTimeConverter))]
    public DateTimeOffset? AcquireTime { get; set; }

    [JsonConverter(typeof(KubeMicroTimeConverter))]
    public DateTimeOffset? RenewTime { get; set; }

    public int? LeaseTransitions { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
