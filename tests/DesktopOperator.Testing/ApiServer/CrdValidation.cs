using System.Globalization;
using System.Text.Json.Nodes;
using DesktopOperator.Testing.Schema;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// The CRD schema checks of kube-apiserver 1.24 (CEL gate on) that our CRDs have met, with its messages (transcript
/// 15): the root <c>metadata</c> may hold only its type; every rule compiles against its schema node; each rule's
/// estimated cost, times how often it can run, stays within the per-rule budget, and all of them within the
/// schema's; a <c>default</c> passes its node's rules as it stands, without nested defaults.
/// </summary>
internal static class CrdValidation
{
    private const string CostHint = "(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)";

    public static void Validate(JsonObject crd, List<FieldCause> causes)
    {
        var versions = (crd["spec"]?["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var schemas = versions.Select(v => v["schema"]?["openAPIV3Schema"] as JsonObject).ToList();
        var shared = schemas.Count > 0 && schemas.All(s => JsonNode.DeepEquals(s, schemas[0]));
        for (var i = 0; i < schemas.Count; i++)
        {
            if (schemas[i] is { } schema && (!shared || i == 0))
            {
                // One schema for every version is reported as the internal API's spec.validation, as 1.24 does.
                ValidateSchema(schema, shared ? "spec.validation.openAPIV3Schema" : $"spec.versions[{i}].schema.openAPIV3Schema", causes);
            }
        }
    }

    private static void ValidateSchema(JsonObject root, string path, List<FieldCause> causes)
    {
        if (root["properties"]?["metadata"] is JsonObject metadata && !OnlyNameAndGenerateName(metadata))
        {
            causes.Add(new FieldCause("FieldValueForbidden",
                "Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified",
                $"{path}.properties[metadata]"));
        }

        var costs = new List<(string Field, ulong Cost)>();
        var defaults = new List<FieldCause>();
        Walk(root, path, [], costs, causes, defaults);
        var total = costs.Aggregate(0UL, (sum, c) => CelCostModel.Add(sum, c.Cost));
        if (total > CelCostModel.TotalLimit)
        {
            // As 1.24 reports them: the (at most 4) most expensive rules costing 1% of the limit or more, in schema order.
            var expensive = costs.Where(c => c.Cost >= CelCostModel.TotalLimit / 100).OrderByDescending(c => c.Cost).Take(4).ToList();
            foreach (var (field, _) in costs.Where(expensive.Contains))
            {
                causes.Add(new FieldCause("FieldValueForbidden",
                    "Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema", field));
            }

            causes.Add(new FieldCause("FieldValueForbidden",
                $"Forbidden: {CostMessage("x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema", total, CelCostModel.TotalLimit)}",
                path));
        }

        // Defaults are checked against a structural schema, which exists only once everything else is valid.
        if (causes.Count == 0)
        {
            causes.AddRange(defaults);
        }
    }

    private static void Walk(JsonObject node, string path, List<JsonObject> containers, List<(string, ulong)> costs, List<FieldCause> causes, List<FieldCause> defaults)
    {
        var rules = (node["x-kubernetes-validations"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var field = $"{path}.x-kubernetes-validations[{i}].rule";
            var text = rules[i]["rule"]?.GetValue<string>() ?? string.Empty;
            var compiled = CelCompiler.Compile(text, node);
            var cost = CelCostModel.Multiply(compiled.Cost, CelCostModel.Cardinality(containers));
            if (cost > CelCostModel.PerRuleLimit)
            {
                causes.Add(new FieldCause("FieldValueForbidden", $"Forbidden: {CostMessage("estimated rule cost", cost, CelCostModel.PerRuleLimit)}", field));
            }

            costs.Add((field, cost));
            if (compiled.Error is { } error)
            {
                var message = rules[i]["message"]?.GetValue<string>() ?? string.Empty;
                causes.Add(new FieldCause("FieldValueInvalid",
                    $"Invalid value: apiextensions.ValidationRule{{Rule:{GoQuote(text)}, Message:{GoQuote(message)}}}: {error}", field));
            }
        }

        if (node["default"] is { } value && rules.Count + Nested(node) > 0)
        {
            foreach (var e in StructuralSchemaValidator.Validate(value.DeepClone(), node).Where(e => e.Field != "<nil>"))
            {
                defaults.Add(new FieldCause(e.Type, e.Message, e.Field == "<root>" ? $"{path}.default" : $"{path}.default.{e.Field}"));
            }
        }

        foreach (var (name, child) in (node["properties"] as JsonObject)?.ToList() ?? [])
        {
            if (child is JsonObject c)
            {
                Walk(c, $"{path}.properties[{name}]", containers, costs, causes, defaults);
            }
        }

        if (node["items"] is JsonObject items)
        {
            Walk(items, $"{path}.items", [.. containers, node], costs, causes, defaults);
        }

        if (node["additionalProperties"] is JsonObject values)
        {
            Walk(values, $"{path}.additionalProperties", [.. containers, node], costs, causes, defaults);
        }
    }

    /// <summary>How many rules sit below this node (a default without any rule below it has nothing to break).</summary>
    private static int Nested(JsonObject node) =>
        ((node["properties"] as JsonObject)?.Select(p => p.Value).OfType<JsonObject>() ?? [])
            .Concat(new[] { node["items"], node["additionalProperties"] }.OfType<JsonObject>())
            .Sum(c => ((c["x-kubernetes-validations"] as JsonArray)?.Count ?? 0) + Nested(c));

    private static bool OnlyNameAndGenerateName(JsonObject metadata) =>
        metadata.All(p => p.Key is "type" or "properties") &&
        ((metadata["properties"] as JsonObject)?.All(p => p.Key is "name" or "generateName") ?? true);

    private static string CostMessage(string what, ulong cost, ulong limit)
    {
        var factor = (double)cost / limit;
        var shown = factor > 100 ? "more than 100x" : factor.ToString("0.0", CultureInfo.InvariantCulture) + "x";
        return $"{what} exceeds budget by factor of {shown} {CostHint}";
    }

    /// <summary>A Go <c>%q</c>-style quoted string, as <c>%#v</c> prints a struct's string fields.</summary>
    private static string GoQuote(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
