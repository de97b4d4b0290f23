using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using k8s;

namespace DesktopOperator.Kube.Client;

/// <summary>
/// The JSON settings of every body we send and read: the package's own (<see cref="KubernetesJson"/>: camelCase,
/// nulls omitted, enums as strings, its time formats) with one correction, <see cref="MicroTimes"/>. A copy, so
/// the package's process-wide settings are left as they are.
/// </summary>
public static class KubeJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"JSON 'null' is not a {typeof(T).Name}.");

    private static JsonSerializerOptions Create()
    {
        JsonSerializerOptions? package = null;
        KubernetesJson.AddJsonOptions(o => package = o);
        if (package is null)
        {
            throw new InvalidOperationException("KubernetesJson did not hand out its serializer options.");
        }

        var options = new JsonSerializerOptions(package);
        options.TypeInfoResolver = (package.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(MicroTimes.Apply);
        options.MakeReadOnly();
        return options;
    }
}
