using System.Text.Json;
using System.Text.Json.Serialization;
using DesktopOperator.Kube.Models;

namespace DesktopOperator.Kube.Client;

public sealed class KubernetesList<T>
    where T : class, IKubernetesObject
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public V1ListMeta Metadata { get; set; } = new();

    public IList<T> Items { get; set; } = [];

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }
}
