using System.Text.Json;
using System.Text.Json.Nodes;
using DesktopOperator.Kube.Models;
using YamlDotNet.RepresentationModel;

namespace DesktopOperator.Api.Yaml;

/// <summary>One document of a manifest file, as JSON, with where it came from for error messages.</summary>
public sealed class ResourceDocument
{
    private readonly YamlNode _root;

    internal ResourceDocument(string sourceName, int index, YamlNode root, JsonNode? json)
    {
        SourceName = sourceName;
        Index = index;
        _root = root;
        Json = json;
    }

    public string SourceName { get; }

    /// <summary>0-based position among the file's non-empty documents.</summary>
    public int Index { get; }

    /// <summary>1-based line where the document starts.</summary>
    public long Line => _root.Start.Line;

    public JsonNode? Json { get; }

    public string? ApiVersion => (Json as JsonObject)?["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public string? Kind => (Json as JsonObject)?["kind"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public T ToObject<T>() => (T)ToObject(typeof(T));

    /// <summary>
    /// Deserializes with <see cref="KubernetesJson.Options"/>. A value of the wrong type, an unknown enum value or a
    /// missing required field becomes a <see cref="ResourceYamlException"/> at that field's line.
    /// </summary>
    public object ToObject(Type type)
    {
        try
        {
            return Json.Deserialize(type, KubernetesJson.Options)
                ?? throw new ResourceYamlException(SourceName, Line, _root.Start.Column, $"the document is empty, not a {type.Name}");
        }
        catch (JsonException e)
        {
            var (node, fieldPath) = JsonPathLocator.Find(_root, e.Path);
            throw new ResourceYamlException(
                SourceName, node.Start.Line, node.Start.Column, JsonErrorText.Describe(e, type, fieldPath, node), e);
        }
    }
}
