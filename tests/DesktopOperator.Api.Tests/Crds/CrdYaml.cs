using YamlDotNet.RepresentationModel;

namespace DesktopOperator.Api.Tests.Crds;

/// <summary>Reads generated CRD YAML back with YamlDotNet, to look into it by path.</summary>
internal static class CrdYaml
{
    public static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static YamlNode At(YamlNode node, params string[] path)
    {
        foreach (var part in path)
        {
            node = node switch
            {
                YamlSequenceNode list => list.Children[int.Parse(part)],
                YamlMappingNode map => map.Children[new YamlScalarNode(part)],
                _ => throw new KeyNotFoundException(part),
            };
        }

        return node;
    }

    public static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    /// <summary>The openAPIV3Schema of the CRD's only version.</summary>
    public static YamlNode Schema(YamlNode crd) => At(crd, "spec", "versions", "0", "schema", "openAPIV3Schema");

    public static IReadOnlyList<string> Rules(YamlNode schema) =>
        ((YamlMappingNode)schema).Children.TryGetValue(new YamlScalarNode("x-kubernetes-validations"), out var rules)
            ? ((YamlSequenceNode)rules).Children.Select(r => Text(r, "rule")).ToList()
            : [];
}
