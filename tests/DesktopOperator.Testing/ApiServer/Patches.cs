using System.Globalization;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// JSON merge patch (RFC 7386), JSON patch (RFC 6902) and strategic merge patch (lists of objects with a
/// <c>name</c> merged by name, <c>$patch: delete</c>; enough for Pod containers, env, ports). Pure functions.
/// </summary>
internal static class Patches
{
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject t ? t.DeepClone().AsObject() : new JsonObject();
        foreach (var (key, value) in p)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = MergePatch(result[key], value);
            }
        }

        return result;
    }

    public static JsonNode? StrategicMerge(JsonNode? target, JsonNode? patch)
    {
        if (patch is JsonArray pa && target is JsonArray ta && IsNamedList(pa) && IsNamedList(ta))
        {
            var result = ta.DeepClone().AsArray();
            foreach (var item in pa.OfType<JsonObject>())
            {
                var name = item["name"]!.ToJsonString();
                var existing = result.OfType<JsonObject>().FirstOrDefault(e => e["name"]!.ToJsonString() == name);
                if (BodyDecoder.Str(item["$patch"]) == "delete")
                {
                    if (existing is not null)
                    {
                        result.Remove(existing);
                    }
                }
                else if (existing is not null)
                {
                    var index = result.IndexOf(existing);
                    result[index] = StrategicMerge(existing, item);
                }
                else
                {
                    result.Add(item.DeepClone());
                }
            }

            return result;
        }

        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }

        var obj = target is JsonObject t ? t.DeepClone().AsObject() : new JsonObject();
        foreach (var (key, value) in p)
        {
            if (value is null)
            {
                obj.Remove(key);
            }
            else
            {
                obj[key] = StrategicMerge(obj[key], value);
            }
        }

        return obj;
    }

    /// <summary>Applies RFC 6902 operations; any failure (test mismatch, missing path) throws the generic 422.</summary>
    public static JsonNode? JsonPatch(JsonNode? target, JsonArray operations)
    {
        var doc = target?.DeepClone();
        foreach (var op in operations.OfType<JsonObject>())
        {
            var kind = BodyDecoder.Str(op["op"]);
            var path = BodyDecoder.Str(op["path"]) ?? throw Rejected();
            switch (kind)
            {
                case "add":
                    doc = Add(doc, path, op["value"]?.DeepClone(), replace: false);
                    break;
                case "replace":
                    Get(doc, path);
                    doc = Add(doc, path, op["value"]?.DeepClone(), replace: true);
                    break;
                case "remove":
                    Remove(doc, path);
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path), op["value"]))
                    {
                        throw Rejected();
                    }

                    break;
                case "move":
                case "copy":
                    var from = BodyDecoder.Str(op["from"]) ?? throw Rejected();
                    var value = Get(doc, from)?.DeepClone();
                    if (kind == "move")
                    {
                        Remove(doc, from);
                    }

                    doc = Add(doc, path, value, replace: false);
                    break;
                default:
                    throw Rejected();
            }
        }

        return doc;
    }

    public static ApiError Rejected() =>
        new(422, StatusBodies.Failure(422, "Invalid", "the server rejected our request due to an error in our request", []));

    private static bool IsNamedList(JsonArray a) => a.Count > 0 && a.All(e => e is JsonObject o && o["name"] is JsonValue);

    private static string[] Tokens(string path) =>
        path.Length == 0 ? [] : path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    private static JsonNode? Parent(JsonNode? doc, string[] tokens) => tokens.Length == 1
        ? doc
        : Get(doc, "/" + string.Join('/', tokens[..^1].Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))));

    private static JsonNode? Get(JsonNode? doc, string path)
    {
        var node = doc;
        foreach (var t in Tokens(path))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(t) => o[t],
                JsonArray a when int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => throw Rejected(),
            };
        }

        return node;
    }

    private static JsonNode? Add(JsonNode? doc, string path, JsonNode? value, bool replace)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            return value;
        }

        var parent = Parent(doc, tokens);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                if (replace)
                {
                    a[i] = value;
                }
                else
                {
                    a.Insert(i, value);
                }

                break;
            default:
                throw Rejected();
        }

        return doc;
    }

    private static void Remove(JsonNode? doc, string path)
    {
        var tokens = Tokens(path);
        if (tokens.Length == 0)
        {
            throw Rejected();
        }

        Get(doc, path);
        var parent = Parent(doc, tokens);
        switch (parent)
        {
            case JsonObject o:
                o.Remove(tokens[^1]);
                break;
            case JsonArray a:
                a.RemoveAt(int.Parse(tokens[^1], CultureInfo.InvariantCulture));
                break;
        }
    }
}
