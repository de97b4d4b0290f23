using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace DesktopOperator.Api.Yaml;

/// <summary>
/// Finds the YAML node a System.Text.Json error path (<c>$.spec.protocols[0].kind</c>, <c>$['a.b']</c>) points at,
/// so the error can name its line; stops at the deepest node that exists.
/// </summary>
internal static class JsonPathLocator
{
    /// <returns>The node, the key it is under (when the last step was a mapping key), and the parsed path.</returns>
    public static (YamlNode Node, YamlNode? Key, IReadOnlyList<string> Segments) Find(YamlNode root, string? path)
    {
        var segments = Parse(path);
        var node = root;
        YamlNode? key = null;
        foreach (var segment in segments)
        {
            var entry = node is YamlMappingNode mapping
                ? mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode k && k.Value == segment)
                : default;
            YamlNode? next = node switch
            {
                YamlMappingNode => entry.Value,
                YamlSequenceNode list when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < list.Children.Count
                    => list.Children[i],
                _ => null,
            };
            if (next is null)
            {
                break;
            }

            key = entry.Key;
            node = next;
        }

        return (node, key, segments);
    }

    /// <summary>Field path in the form of <see cref="Validation.ValidationError.Field"/>: <c>spec.protocols[0].kind</c>.</summary>
    public static string Format(IReadOnlyList<string> segments)
    {
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.All(char.IsAsciiDigit) && text.Length > 0)
            {
                text.Append('[').Append(segment).Append(']');
            }
            else
            {
                text.Append(text.Length > 0 ? "." : "").Append(segment);
            }
        }

        return text.ToString();
    }

    private static List<string> Parse(string? path)
    {
        var segments = new List<string>();
        if (string.IsNullOrEmpty(path))
        {
            return segments;
        }

        var i = path[0] == '$' ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 2)..end]);
                i = Math.Min(path.Length, end + 2);
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = Math.Min(path.Length, end + 1);
            }
            else
            {
                break;
            }
        }

        return segments;
    }
}
