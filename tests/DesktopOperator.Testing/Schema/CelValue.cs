using System.Text;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.Schema;

/// <summary>
/// What the compiler knows of one sub-expression: its CEL kind (object, map, list, string, int, double, bool, dyn ...),
/// the schema it comes from, the largest size it can have (string length, list or map entries; unknown is
/// <see cref="ulong.MaxValue"/>), and the estimated cost of computing it.
/// </summary>
internal sealed record CelValue(string Kind, JsonObject? Schema, ulong Size, ulong Cost)
{
    public static CelValue Of(JsonObject? schema)
    {
        if (schema is null)
        {
            return Dyn(0);
        }

        var kind = schema["type"]?.GetValue<string>() switch
        {
            _ when schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true => "dyn",
            "object" when schema["additionalProperties"] is JsonObject => "map",
            "object" when schema["properties"] is JsonObject => "object",
            "object" => schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true ? "dyn" : "object",
            "array" => "list",
            "string" => "string",
            "integer" => "int",
            "number" => "double",
            "boolean" => "bool",
            _ => "dyn",
        };
        return new CelValue(kind, schema, CelCostModel.Bound(schema), 0);
    }

    public static CelValue Dyn(ulong cost) => new("dyn", null, ulong.MaxValue, cost);

    /// <summary>A computed bool (has(), a comparison, a macro): cel-go knows no size for it, so it is unbounded.</summary>
    public static CelValue Bool(ulong cost) => new("bool", null, ulong.MaxValue, cost);

    public static CelValue Literal(object? value) => value switch
    {
        string s => new CelValue("string", null, (ulong)Encoding.UTF8.GetByteCount(s), 0),
        long => new CelValue("int", null, 1, 0),
        double => new CelValue("double", null, 1, 0),
        bool => new CelValue("bool", null, 1, 0),
        _ => new CelValue("null", null, 1, 0),
    };

    /// <summary>The value of <c>this.name</c>, or null when the type has no such field.</summary>
    public CelValue? Field(string name) => Kind switch
    {
        "object" when Schema?["properties"]?[name] is JsonObject field => Of(field),
        "object" when Schema?["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true => Dyn(0),
        "map" => Of(Schema!["additionalProperties"] as JsonObject),
        "dyn" => Dyn(0),
        _ => null,
    };

    /// <summary>The element a comprehension or an index gives: list items, map keys; null when not iterable.</summary>
    public CelValue? Element() => Kind switch
    {
        "list" => Schema?["items"] is JsonObject items ? Of(items) : Dyn(0),
        "map" => new CelValue("string", null, CelCostModel.UnboundedString, 0),
        "dyn" => Dyn(0),
        _ => null,
    };
}
