using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>Block-style YAML with sorted keys, as the real server's <c>Accept: application/yaml</c> answer looks.</summary>
internal static class JsonToYaml
{
    public static string Write(JsonNode node)
    {
        var sb = new StringBuilder();
        WriteNode(sb, node, 0, inList: false);
        return sb.ToString();
    }

    private static void WriteNode(StringBuilder sb, JsonNode? node, int indent, bool inList)
    {
        var pad = new string(' ', indent);
        switch (node)
        {
            case JsonObject o:
                var first = true;
                foreach (var (k, v) in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    var prefix = inList && first ? string.Empty : pad;
                    first = false;
                    if (v is JsonObject { Count: > 0 } or JsonArray { Count: > 0 })
                    {
                        sb.Append(prefix).Append(k).Append(":\n");
                        WriteNode(sb, v, v is JsonArray ? indent : indent + 2, inList: false);
                    }
                    else
                    {
                        sb.Append(prefix).Append(k).Append(": ").Append(Scalar(v)).Append('\n');
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    sb.Append(pad).Append("- ");
                    if (item is JsonObject { Count: > 0 })
                    {
                        WriteNode(sb, item, indent + 2, inList: true);
                    }
                    else
                    {
                        sb.Append(Scalar(item)).Append('\n');
                    }
                }

                break;
        }
    }

    private static string Scalar(JsonNode? v) => v switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => Quote(value.GetValue<string>()),
        _ => v.ToJsonString(),
    };

    private static string Quote(string s) =>
        s.Length == 0 || s.Contains(':', StringComparison.Ordinal) || s.Contains('#', StringComparison.Ordinal) || char.IsDigit(s[0]) || s is "true" or "false" or "null"
            ? "\"" + s.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : s;
}
