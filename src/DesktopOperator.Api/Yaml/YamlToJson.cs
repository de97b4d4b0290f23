using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DesktopOperator.Api.Yaml;

/// <summary>
/// One YAML document to JSON, by the YAML 1.2 core schema: plain <c>true</c>/<c>false</c>, null, integers and floats
/// get their JSON types; quoted scalars and everything else are strings. Aliases are expanded, within a bound on the
/// number of values, so a "billion laughs" document fails instead of exhausting memory.
/// </summary>
internal sealed partial class YamlToJson(string sourceName)
{
    /// <summary>Far above any real manifest (a pool is a few hundred values).</summary>
    private const int MaxNodes = 100_000;

    private int _nodes;

    public JsonNode? Convert(YamlNode node)
    {
        if (++_nodes > MaxNodes)
        {
            throw new ResourceYamlException(sourceName, node.Start.Line, node.Start.Column,
                $"more than {MaxNodes} values in one document (aliases expanding without bound?)");
        }

        return node switch
        {
            YamlMappingNode map => Object(map),
            YamlSequenceNode list => new JsonArray(list.Children.Select(Convert).ToArray()),
            YamlScalarNode scalar => Scalar(scalar),
            _ => throw new ResourceYamlException(sourceName, node.Start.Line, node.Start.Column, $"unsupported YAML node {node.NodeType}"),
        };
    }

    private JsonObject Object(YamlMappingNode map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw new ResourceYamlException(sourceName, key.Start.Line, key.Start.Column, "mapping keys must be plain strings");
            }

            if (json.ContainsKey(name))
            {
                throw new ResourceYamlException(sourceName, key.Start.Line, key.Start.Column, $"duplicate key '{name}'");
            }

            json[name] = Convert(value);
        }

        return json;
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || scalar.Tag is { IsEmpty: false, IsNonSpecific: false, Value: "tag:yaml.org,2002:str" })
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when Integer().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                => JsonValue.Create(l),
            _ when Float().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
