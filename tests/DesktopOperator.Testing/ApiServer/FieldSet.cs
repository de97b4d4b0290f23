using System.Text.Json;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// A set of field paths in managedFields' FieldsV1 notation (<c>f:</c> names, <c>k:</c> list keys, <c>v:</c> set
/// values), built from an object and written back as the nested FieldsV1 tree. Lists of objects are keyed by
/// <c>name</c>, <c>type</c>, <c>uid</c> or <c>ip</c> when every element has one; other lists are atomic.
/// </summary>
internal static class FieldSet
{
    private static readonly string[] ListKeys = ["uid", "name", "type", "ip", "containerPort", "port"];

    /// <summary>Leaf paths (joined with '\n') and the value at each, for the owned parts of <paramref name="obj"/>.</summary>
    public static Dictionary<string, string> Leaves(JsonObject obj, bool includeStatus, bool includeSpecAndMeta)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in obj)
        {
            if (name is "apiVersion" or "kind")
            {
                continue;
            }

            if (name == "metadata")
            {
                if (includeSpecAndMeta && value is JsonObject meta)
                {
                    foreach (var m in new[] { "labels", "annotations", "finalizers", "ownerReferences", "generateName" })
                    {
                        if (meta[m] is { } node)
                        {
                            Walk(node, ["f:metadata", "f:" + m], leaves);
                        }
                    }
                }

                continue;
            }

            if (name == "status")
            {
                if (includeStatus)
                {
                    Walk(value, ["f:status"], leaves);
                }

                continue;
            }

            if (includeSpecAndMeta)
            {
                Walk(value, ["f:" + name], leaves);
            }
        }

        return leaves;
    }

    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            var segments = path.Split('\n');
            for (var i = 0; i < segments.Length; i++)
            {
                if (node[segments[i]] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[segments[i]] = child;
                }

                if (i < segments.Length - 1 && !(i == 0 && segments[0] == "f:metadata"))
                {
                    child["."] ??= new JsonObject();
                }

                node = child;
            }
        }

        return Sort(root);
    }

    public static IEnumerable<string> FromFieldsV1(JsonNode? fields)
    {
        var result = new List<string>();
        Collect(fields as JsonObject, [], result);
        return result;
    }

    private static void Collect(JsonObject? node, List<string> prefix, List<string> result)
    {
        if (node is null)
        {
            return;
        }

        var children = node.Where(kv => kv.Key != ".").ToList();
        if (children.Count == 0 && prefix.Count > 0)
        {
            result.Add(string.Join('\n', prefix));
            return;
        }

        foreach (var (key, value) in children)
        {
            Collect(value as JsonObject, [.. prefix, key], result);
        }
    }

    private static void Walk(JsonNode? node, List<string> path, Dictionary<string, string> leaves)
    {
        switch (node)
        {
            case JsonObject o when o.Count > 0:
                foreach (var (name, child) in o)
                {
                    Walk(child, [.. path, "f:" + name], leaves);
                }

                break;
            case JsonArray a when a.Count > 0 && a.All(e => e is JsonValue v && v.GetValueKind() == JsonValueKind.String):
                foreach (var e in a)
                {
                    leaves[string.Join('\n', [.. path, "v:" + e!.ToJsonString()])] = "true";
                }

                break;
            case JsonArray a when a.Count > 0 && KeyOf(a) is { } key:
                foreach (var e in a.OfType<JsonObject>())
                {
                    var keyText = "k:{\"" + key + "\":" + e[key]!.ToJsonString() + "}";
                    Walk(e, [.. path, keyText], leaves);
                }

                break;
            default:
                leaves[string.Join('\n', path)] = node?.ToJsonString() ?? "null";
                break;
        }
    }

    private static string? KeyOf(JsonArray a) =>
        ListKeys.FirstOrDefault(k => a.All(e => e is JsonObject o && o[k] is JsonValue));

    private static JsonObject Sort(JsonObject node)
    {
        var sorted = new JsonObject();
        foreach (var (key, value) in node.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList())
        {
            node.Remove(key);
            sorted[key] = value is JsonObject o ? Sort(o) : value;
        }

        return sorted;
    }
}
