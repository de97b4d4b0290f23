using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.Schema;

/// <summary>
/// Structural-schema defaulting and pruning as the API server does on decode: missing properties with a
/// <c>default</c> are filled (deep copies), fields the schema does not declare are dropped unless
/// <c>x-kubernetes-preserve-unknown-fields</c> or <c>additionalProperties</c> allow them; apiVersion/kind/metadata at
/// the root are kept.
/// </summary>
internal static class SchemaDefaults
{
    public static void Apply(JsonNode? node, JsonNode? schema, bool isRoot = false)
    {
        if (schema is not JsonObject s)
        {
            return;
        }

        if (node is JsonObject o)
        {
            var props = s["properties"] as JsonObject;
            var preserve = s["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
            var additional = s["additionalProperties"];
            if (props is not null)
            {
                foreach (var (name, propSchema) in props)
                {
                    if (!o.ContainsKey(name) && propSchema?["default"] is { } def)
                    {
                        o[name] = def.DeepClone();
                    }
                }
            }

            foreach (var key in o.Select(kv => kv.Key).ToList())
            {
                if (isRoot && key is "apiVersion" or "kind" or "metadata")
                {
                    continue;
                }

                if (props?[key] is { } ps)
                {
                    Apply(o[key], ps);
                }
                else if (additional is JsonObject addSchema)
                {
                    Apply(o[key], addSchema);
                }
                else if (!preserve && additional is null or JsonValue && !(additional is JsonValue av && av.GetValue<bool>()))
                {
                    o.Remove(key);
                }
            }
        }
        else if (node is JsonArray a && s["items"] is { } items)
        {
            foreach (var e in a)
            {
                Apply(e, items);
            }
        }
    }
}
