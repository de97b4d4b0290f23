using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using YamlDotNet.RepresentationModel;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Api.Yaml;

/// <summary>One document of a manifest file, as JSON, with where it came from for error messages.</summary>
public sealed class ResourceDocument
{
    private static readonly JsonSerializerOptions StrictOptions = new(KubeJson.Options)
    {
        PropertyNameCaseInsensitive = false,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

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
    /// Deserializes as strictly as the API server reads a manifest (and kubectl's default strict field validation):
    /// <see cref="KubeJson.Options"/> with exact-case names, no numbers in strings, and no unknown fields
    /// (except where a model keeps them, like metadata). A value of the wrong type, an unknown field or enum value, or
    /// a missing required field becomes a <see cref="ResourceYamlException"/> at that field's line.
    /// </summary>
    public object ToObject(Type type)
    {
        try
        {
            return Json.Deserialize(type, StrictOptions)
                ?? throw new ResourceYamlException(SourceName, Line, _root.Start.Column, $"the document is empty, not a {type.Name}");
        }
        catch (JsonException e)
        {
            var (node, key, fieldPath) = JsonPathLocator.Find(_root, e.Path);
            var (reason, atKey) = JsonErrorText.Describe(e, type, fieldPath, node);
            var at = atKey && key is not null ? key : node;
            throw new ResourceYamlException(SourceName, at.Start.Line, at.Start.Column, reason, e);
        }
    }
}
