using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// The fields a 1.24 CRD schema (JSONSchemaProps) and its validation rules may have. A POST or PUT drops others
/// silently (as the real server's decoder does: a rule's <c>fieldPath</c> vanishes, transcript 15); a server-side
/// apply refuses them, as the real structured-merge-diff type check does ("field not declared in schema"), which is
/// what Helm 4 and <c>kubectl apply --server-side</c> hit.
/// </summary>
internal static class CrdSchemaFields
{
    private static readonly HashSet<string> SchemaKeys =
    [
        "id", "$schema", "$ref", "description", "type", "format", "title", "default", "maximum", "exclusiveMaximum",
        "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems",
        "multipleOf", "enum", "maxProperties", "minProperties", "required", "items", "allOf", "oneOf", "anyOf", "not",
        "properties", "additionalProperties", "patternProperties", "dependencies", "additionalItems", "definitions",
        "externalDocs", "example", "nullable", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource",
        "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type",
        "x-kubernetes-validations",
    ];

    /// <summary>1.24 knows only these two: messageExpression came in 1.26, reason and fieldPath in 1.28.</summary>
    private static readonly HashSet<string> RuleKeys = ["rule", "message"];

    /// <summary>Removes unknown fields from every version's schema (create and update).</summary>
    public static void Prune(JsonObject crd) => Visit(crd, (owner, key, _) => owner.Remove(key));

    /// <summary>The first unknown field, in structured-merge-diff's path notation, or null.</summary>
    public static string? FirstUnknown(JsonObject crd)
    {
        string? first = null;
        Visit(crd, (_, key, path) => first ??= $"{path}.{key}");
        return first;
    }

    private static void Visit(JsonObject crd, Action<JsonObject, string, string> unknown)
    {
        var versions = crd["spec"]?["versions"] as JsonArray ?? [];
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i]?["schema"]?["openAPIV3Schema"] is JsonObject schema)
            {
                Schema(schema, $".spec.versions[{i}].schema.openAPIV3Schema", unknown);
            }
        }
    }

    private static void Schema(JsonObject schema, string path, Action<JsonObject, string, string> unknown)
    {
        foreach (var key in schema.Select(p => p.Key).Where(k => !SchemaKeys.Contains(k)).ToList())
        {
            unknown(schema, key, path);
        }

        foreach (var map in new[] { "properties", "patternProperties", "definitions" })
        {
            foreach (var (name, child) in (schema[map] as JsonObject)?.ToList() ?? [])
            {
                if (child is JsonObject c)
                {
                    Schema(c, $"{path}.{map}.{name}", unknown);
                }
            }
        }

        foreach (var single in new[] { "items", "additionalProperties", "not", "additionalItems" })
        {
            if (schema[single] is JsonObject c)
            {
                Schema(c, $"{path}.{single}", unknown);
            }
        }

        foreach (var list in new[] { "allOf", "oneOf", "anyOf" })
        {
            var items = (schema[list] as JsonArray)?.ToList() ?? [];
            for (var i = 0; i < items.Count; i++)
            {
                if (items[i] is JsonObject c)
                {
                    Schema(c, $"{path}.{list}[{i}]", unknown);
                }
            }
        }

        var rules = (schema["x-kubernetes-validations"] as JsonArray)?.ToList() ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i] is JsonObject rule)
            {
                foreach (var key in rule.Select(p => p.Key).Where(k => !RuleKeys.Contains(k)).ToList())
                {
                    unknown(rule, key, $"{path}.x-kubernetes-validations[{i}]");
                }
            }
        }
    }
}
