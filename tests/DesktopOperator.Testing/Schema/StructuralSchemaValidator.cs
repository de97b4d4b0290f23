using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DesktopOperator.Testing.Schema;

/// <summary>
/// Validates an object against a CRD's <c>openAPIV3Schema</c> the way kube-apiserver 1.24 reports it: type, required,
/// enum, minimum/maximum (and exclusive), pattern, min/maxLength, min/maxItems, uniqueItems, then
/// <c>x-kubernetes-validations</c> through <see cref="CelLite"/> (only when no type/required error was found, in which
/// case a <c>&lt;nil&gt;</c> cause says some rules were not checked). Pure and thread-safe.
/// </summary>
public static class StructuralSchemaValidator
{
    public const string RulesNotChecked = "Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

    public static IReadOnlyList<SchemaError> Validate(JsonNode obj, JsonNode openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var errors = new List<SchemaError>();
        Walk(obj, openApiV3Schema, string.Empty, errors);
        if (errors.Any(IsStructural))
        {
            errors.Add(new SchemaError("<nil>", "FieldValueInvalid", RulesNotChecked));
            return errors;
        }

        Rules(obj, openApiV3Schema, string.Empty, errors);
        return errors;
    }

    /// <summary>True for errors that stop CEL rules from running (type mismatches, missing required fields).</summary>
    public static bool IsStructural(SchemaError e) => e.Type is "FieldValueTypeInvalid" or "FieldValueRequired";

    /// <summary>Fills <c>default</c>s of missing properties and drops fields the schema does not declare.</summary>
    public static void ApplyDefaultsAndPrune(JsonNode obj, JsonNode schema) => SchemaDefaults.Apply(obj, schema, isRoot: true);

    private static void Walk(JsonNode? node, JsonNode? schemaNode, string path, List<SchemaError> errors)
    {
        if (schemaNode is not JsonObject s)
        {
            return;
        }

        var field = path.Length == 0 ? "<root>" : path;
        var type = s["type"]?.GetValue<string>();
        if (node is null)
        {
            if (s["nullable"]?.GetValue<bool>() != true && type is not null && path.Length > 0)
            {
                errors.Add(new SchemaError(path, "FieldValueTypeInvalid", $"Invalid value: \"null\": {path} in body must be of type {type}: \"null\""));
            }

            return;
        }

        var actual = TypeOf(node);
        if (type is not null && !Compatible(type, actual, node))
        {
            errors.Add(new SchemaError(field, "FieldValueTypeInvalid", $"Invalid value: \"{actual}\": {field} in body must be of type {type}: \"{actual}\""));
            return;
        }

        if (s["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            var list = string.Join(", ", allowed.Select(a => a!.ToJsonString()));
            errors.Add(new SchemaError(field, "FieldValueNotSupported", $"Unsupported value: {node.ToJsonString()}: supported values: {list}"));
        }

        switch (node)
        {
            case JsonObject o:
                foreach (var req in (s["required"] as JsonArray)?.Select(r => r!.GetValue<string>()) ?? [])
                {
                    if (!o.ContainsKey(req))
                    {
                        errors.Add(new SchemaError(Join(path, req), "FieldValueRequired", "Required value"));
                    }
                }

                var props = s["properties"] as JsonObject;
                foreach (var (name, value) in o)
                {
                    if (path.Length == 0 && name == "metadata")
                    {
                        continue;
                    }

                    var child = props?[name] ?? (s["additionalProperties"] as JsonObject);
                    Walk(value, child, Join(path, name), errors);
                }

                Bounds(o.Count, s, "minProperties", "maxProperties", field, errors, "properties");
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Walk(a[i], s["items"], $"{field}[{i}]", errors);
                }

                Bounds(a.Count, s, "minItems", "maxItems", field, errors, "items");
                if (s["uniqueItems"]?.GetValue<bool>() == true && a.Select(e => e?.ToJsonString()).Distinct().Count() != a.Count)
                {
                    errors.Add(new SchemaError(field, "FieldValueDuplicate", $"Duplicate value: {a.ToJsonString()}"));
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                if (s["maxLength"] is { } maxLen && text.Length > JsonNumbers.ToInt64(maxLen))
                {
                    errors.Add(new SchemaError(field, "FieldValueTooLong", $"Too long: may not be longer than {maxLen}"));
                }

                if (s["minLength"] is { } minLen && text.Length < JsonNumbers.ToInt64(minLen))
                {
                    errors.Add(new SchemaError(field, "FieldValueInvalid", $"Invalid value: \"{text}\": {field} in body should be at least {minLen} chars long"));
                }

                if (s["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
                {
                    errors.Add(new SchemaError(field, "FieldValueInvalid", $"Invalid value: \"{text}\": {field} in body should match '{pattern}'"));
                }

                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                var number = JsonNumbers.ToDouble(v);
                var shown = v.ToJsonString();
                if (s["maximum"] is { } max)
                {
                    var exclusive = s["exclusiveMaximum"]?.GetValue<bool>() == true;
                    if (exclusive ? number >= JsonNumbers.ToDouble(max) : number > JsonNumbers.ToDouble(max))
                    {
                        errors.Add(new SchemaError(field, "FieldValueInvalid", $"Invalid value: {shown}: {field} in body should be less than {(exclusive ? string.Empty : "or equal to ")}{max.ToJsonString()}"));
                    }
                }

                if (s["minimum"] is { } min)
                {
                    var exclusive = s["exclusiveMinimum"]?.GetValue<bool>() == true;
                    if (exclusive ? number <= JsonNumbers.ToDouble(min) : number < JsonNumbers.ToDouble(min))
                    {
                        errors.Add(new SchemaError(field, "FieldValueInvalid", $"Invalid value: {shown}: {field} in body should be greater than {(exclusive ? string.Empty : "or equal to ")}{min.ToJsonString()}"));
                    }
                }

                break;
        }
    }

    private static void Bounds(int count, JsonObject s, string minKey, string maxKey, string field, List<SchemaError> errors, string noun)
    {
        if (s[maxKey] is { } max && count > JsonNumbers.ToInt64(max))
        {
            errors.Add(new SchemaError(field, "FieldValueTooMany", $"Too many: {count}: must have at most {max} {noun}"));
        }

        if (s[minKey] is { } min && count < JsonNumbers.ToInt64(min))
        {
            errors.Add(new SchemaError(field, "FieldValueInvalid", $"Invalid value: {count}: {field} in body should have at least {min} {noun}"));
        }
    }

    private static void Rules(JsonNode? node, JsonNode? schemaNode, string path, List<SchemaError> errors)
    {
        if (schemaNode is not JsonObject s || node is null)
        {
            return;
        }

        switch (node)
        {
            case JsonObject o:
                var props = s["properties"] as JsonObject;
                foreach (var (name, value) in o)
                {
                    if (!(path.Length == 0 && name == "metadata"))
                    {
                        Rules(value, props?[name] ?? (s["additionalProperties"] as JsonObject), Join(path, name), errors);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Rules(a[i], s["items"], $"{path}[{i}]", errors);
                }

                break;
        }

        foreach (var rule in (s["x-kubernetes-validations"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var text = rule["rule"]?.GetValue<string>() ?? string.Empty;
            var message = rule["message"]?.GetValue<string>() ?? $"failed rule: {text}";
            var result = CelLite.Evaluate(text, node);
            var field = path.Length == 0 ? "<root>" : path;
            if (result.Error is { } error)
            {
                errors.Add(new SchemaError(field, "FieldValueInvalid", $"Invalid value: \"{TypeOf(node)}\": {error} evaluating rule: {message}"));
            }
            else if (result.Value == false)
            {
                errors.Add(new SchemaError(field, "FieldValueInvalid", $"Invalid value: \"{TypeOf(node)}\": {message}"));
            }
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string TypeOf(JsonNode node) => node switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => IsInteger(v) ? "integer" : "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            _ => "null",
        },
        _ => "null",
    };

    private static bool IsInteger(JsonValue v) =>
        long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    private static bool Compatible(string type, string actual, JsonNode node) => type switch
    {
        "number" => actual is "number" or "integer",
        "integer" => actual == "integer",
        _ => type == actual,
    } || (actual == "integer" && type == "number") || (node is JsonValue && type == "string" && false);
}
