using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// A set of field paths in managedFields' FieldsV1 notation (<c>f:</c> names, <c>k:</c> list keys, <c>v:</c> set
/// values), built from an object and written back as the nested FieldsV1 tree. Lists are atomic except
/// <c>metadata.finalizers</c> (a set), <c>metadata.ownerReferences</c> (keyed by uid) and, on built-in kinds, the
/// keyed lists of the core API (containers by name, conditions by type, podIPs by ip, ...).
/// </summary>
internal static class FieldSet
{
    private static readonly Dictionary<string, string> KeyedLists = new(StringComparer.Ordinal)
    {
        ["f:containers"] = "name",
        ["f:initContainers"] = "name",
        ["f:env"] = "name",
        ["f:volumes"] = "name",
        ["f:volumeMounts"] = "mountPath",
        ["f:conditions"] = "type",
        ["f:podIPs"] = "ip",
        ["f:ports"] = "port",
    };

    /// <summary>Built-in struct fields the API marks atomic (ObjectReference): owned as one leaf.</summary>
    private static readonly HashSet<string> AtomicFields = new(StringComparer.Ordinal) { "f:involvedObject", "f:regarding", "f:related" };

    /// <summary>Fields that built-in admission (not the client) sets; a real server does not attribute them to the writer.</summary>
    private static readonly HashSet<string> AdmissionSet = new(StringComparer.Ordinal)
    {
        "f:spec\nf:serviceAccountName", "f:spec\nf:serviceAccount", "f:spec\nf:tolerations", "f:spec\nf:priority", "f:spec\nf:preemptionPolicy",
    };

    /// <summary>Leaf paths (joined with '\n') and the JSON of the value at each, for the owned parts of <paramref name="obj"/>.</summary>
    public static Dictionary<string, string> Leaves(JsonObject obj, bool includeStatus, bool includeSpecAndMeta, bool isCustom)
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
                            Walk(node, ["f:metadata", "f:" + m], leaves, isCustom);
                        }
                    }
                }

                continue;
            }

            if (name == "status" ? includeStatus : includeSpecAndMeta)
            {
                Walk(value, ["f:" + name], leaves, isCustom);
            }
        }

        if (!isCustom)
        {
            foreach (var key in leaves.Keys.Where(k => AdmissionSet.Any(a => k == a || k.StartsWith(a + "\n", StringComparison.Ordinal))).ToList())
            {
                leaves.Remove(key);
            }

            if (obj["kind"]?.ToString() == "Namespace")
            {
                leaves.Remove("f:spec\nf:finalizers");
            }
        }

        return leaves;
    }

    /// <summary>
    /// The FieldsV1 tree of <paramref name="paths"/>. On custom resources a map gets "." (owned itself) when the entry
    /// owns every leaf the object has under it (<paramref name="objectLeaves"/>), as when one manager created it.
    /// </summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> paths, bool isCustom, IEnumerable<string>? objectLeaves = null)
    {
        var root = new JsonObject();
        var owned = paths.ToHashSet(StringComparer.Ordinal);
        var all = objectLeaves?.ToList() ?? [.. owned];
        bool OwnsAll(string prefix) => all.Where(l => l.StartsWith(prefix + "\n", StringComparison.Ordinal)).All(owned.Contains);
        foreach (var path in owned.Order(StringComparer.Ordinal))
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

                if (i < segments.Length - 1 && OwnsItself(segments, i, isCustom && OwnsAll(string.Join('\n', segments[..(i + 1)]))))
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

    /// <summary>Whether an intermediate node carries the "." (the map or list element itself is owned).</summary>
    private static bool OwnsItself(string[] segments, int i, bool isCustom)
    {
        var segment = segments[i];
        var next = segments[i + 1];
        if (segment.StartsWith("k:", StringComparison.Ordinal))
        {
            return true;
        }

        if ((next.StartsWith("k:", StringComparison.Ordinal) || next.StartsWith("v:", StringComparison.Ordinal)) && segment != "f:containers")
        {
            return true;
        }

        if (i == 1 && segments[0] == "f:metadata")
        {
            return segment is "f:labels" or "f:annotations";
        }

        return isCustom && !(i == 0 && segment == "f:metadata");
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

    private static void Walk(JsonNode? node, List<string> path, Dictionary<string, string> leaves, bool isCustom)
    {
        var last = path[^1];
        var inMeta = path.Count == 2 && path[0] == "f:metadata";
        switch (node)
        {
            case JsonObject o when o.Count > 0 && !(!isCustom && path.Count == 1 && AtomicFields.Contains(last)):
                foreach (var (name, child) in o)
                {
                    Walk(child, [.. path, "f:" + name], leaves, isCustom);
                }

                break;
            case JsonArray a when a.Count > 0 && inMeta && last == "f:finalizers":
                foreach (var e in a)
                {
                    leaves[string.Join('\n', [.. path, "v:" + e!.ToJsonString()])] = "true";
                }

                break;
            case JsonArray a when a.Count > 0 && inMeta && last == "f:ownerReferences" && a.All(e => e?["uid"] is JsonValue):
                foreach (var e in a)
                {
                    leaves[string.Join('\n', [.. path, "k:{\"uid\":" + e!["uid"]!.ToJsonString() + "}"])] = e.ToJsonString();
                }

                break;
            case JsonArray a when a.Count > 0 && !isCustom && KeyedLists.TryGetValue(last, out var key) && a.All(e => e is JsonObject o && o[key] is JsonValue):
                foreach (var e in a.OfType<JsonObject>())
                {
                    Walk(e, [.. path, "k:{\"" + key + "\":" + e[key]!.ToJsonString() + "}"], leaves, isCustom);
                }

                break;
            default:
                leaves[string.Join('\n', path)] = node?.ToJsonString() ?? "null";
                break;
        }
    }

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
