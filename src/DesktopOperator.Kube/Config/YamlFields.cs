using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace DesktopOperator.Kube.Config;

/// <summary>Typed reads of kubeconfig YAML nodes that fail with the file and the field path.</summary>
internal sealed class YamlFields(string file)
{
    public string File { get; } = file;

    public KubeConfigException Error(string field, string problem, Exception? inner = null) => new(File, field, problem, inner);

    public YamlMappingNode? Mapping(YamlMappingNode parent, string key, string path)
    {
        var node = Child(parent, key);
        return node switch
        {
            null => null,
            YamlMappingNode m => m,
            YamlScalarNode s when IsNull(s) => null,
            _ => throw Error(path, $"expected a mapping, found {Describe(node)}"),
        };
    }

    public YamlSequenceNode? Sequence(YamlMappingNode parent, string key, string path)
    {
        var node = Child(parent, key);
        return node switch
        {
            null => null,
            YamlSequenceNode s => s,
            YamlScalarNode s when IsNull(s) => null,
            _ => throw Error(path, $"expected a list, found {Describe(node)}"),
        };
    }

    public string? String(YamlMappingNode parent, string key, string path)
    {
        var node = Child(parent, key);
        return node switch
        {
            null => null,
            YamlScalarNode s when IsNull(s) => null,
            YamlScalarNode s => s.Value,
            _ => throw Error(path, $"expected a string, found {Describe(node)}"),
        };
    }

    public bool Bool(YamlMappingNode parent, string key, string path)
    {
        var text = String(parent, key, path);
        return text switch
        {
            null => false,
            _ when bool.TryParse(text, out var value) => value,
            _ => throw Error(path, $"expected true or false, found '{text}'"),
        };
    }

    public string Required(YamlMappingNode parent, string key, string path) =>
        String(parent, key, path) is { Length: > 0 } value ? value : throw Error(path, "is missing or empty");

    public YamlMappingNode MappingItem(YamlNode item, string path) =>
        item as YamlMappingNode ?? throw Error(path, $"expected a mapping, found {Describe(item)}");

    private static YamlNode? Child(YamlMappingNode parent, string key) =>
        parent.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static bool IsNull(YamlScalarNode s) =>
        s.Style == YamlDotNet.Core.ScalarStyle.Plain && s.Value is null or "" or "~" or "null";

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => string.Create(CultureInfo.InvariantCulture, $"'{s.Value}'"),
        _ => node.NodeType.ToString(),
    };
}
