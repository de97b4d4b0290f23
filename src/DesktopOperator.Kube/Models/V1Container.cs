using System.Text.Json;
using System.Text.Json.Serialization;

namespace DesktopOperator.Kube.Models;

public sealed class V1Container
{
    public string Name { get; set; } = "";

    public string? Image { get; set; }

    public IList<string>? Command { get; set; }

    public IList<string>? Args { get; set; }

    public IList<V1ContainerPort>? Ports { get; set; }

    public IList<V1EnvVar>? Env { get; set; }

    /// <summary>requests/limits, kept as JSON (quantities are strings or numbers).</summary>
    public JsonElement? Resources { get; set; }

    public JsonElement? ReadinessProbe { get; set; }

    public JsonElement? LivenessProbe { get; set; }

    public JsonElement? VolumeMounts { get; set; }

    public JsonElement? SecurityContext { get; set; }

    public string? ImagePullPolicy { get; set; }

    /// <summary>Fields this model does not know, written back unchanged.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
