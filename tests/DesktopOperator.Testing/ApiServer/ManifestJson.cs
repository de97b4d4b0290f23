using System.Text.Json;
using System.Text.Json.Nodes;
using DesktopOperator.Api.Yaml;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// YAML (or JSON, which is YAML) request bodies and manifest files to JSON, through the product's own reader
/// (<see cref="ResourceYaml.ReadDocuments"/>), so the test API server types a manifest exactly as the operator and the
/// standalone gateway do. Bad YAML throws a <see cref="JsonException"/> whose inner exception is the reader's
/// <see cref="ResourceYamlException"/> (line, column, reason).
/// </summary>
public static class ManifestJson
{
    public static JsonNode? Parse(string yaml) => ParseAll(yaml).FirstOrDefault();

    /// <summary>Every document of a multi-document stream (empty documents skipped).</summary>
    public static List<JsonNode?> ParseAll(string yaml)
    {
        try
        {
            return ResourceYaml.ReadDocuments(yaml, "body").Select(d => d.Json).ToList();
        }
        catch (ResourceYamlException e)
        {
            throw new JsonException(e.Reason, e);
        }
    }
}
