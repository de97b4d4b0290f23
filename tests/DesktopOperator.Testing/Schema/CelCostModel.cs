using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.Schema;

/// <summary>
/// cel-go's static cost estimate (the one kube-apiserver 1.24 applies to CRD rules), reduced to what our rules use:
/// an identifier or field selection costs 1; <c>==</c>/<c>!=</c> and string comparisons cost a tenth of the smaller
/// operand's largest size (a computed bool such as <c>has(x)</c> has no known size, which is why
/// <c>has(a) != has(b)</c> is over budget); other calls cost 1; a macro costs its range's largest size times its
/// per-element cost. Sizes come from <c>maxLength</c>/<c>maxItems</c>/<c>maxProperties</c>; without them, from the
/// 3 MiB request limit (a string of 3145726 bytes, a list of as many elements as fit at their smallest JSON size).
/// </summary>
internal static class CelCostModel
{
    public const ulong SelectAndIdent = 1;
    public const ulong ListCreate = 10;
    public const ulong PerRuleLimit = 10_000_000;
    public const ulong TotalLimit = 100_000_000;
    public const ulong UnboundedString = MaxRequestBytes - 2;
    private const ulong MaxRequestBytes = 3 * 1024 * 1024;

    public static ulong Add(ulong a, ulong b) => a > ulong.MaxValue - b ? ulong.MaxValue : a + b;

    public static ulong Multiply(ulong a, ulong b) => a != 0 && b > ulong.MaxValue / a ? ulong.MaxValue : a * b;

    /// <summary>cel-go's StringTraversalCostFactor (0.1), rounded up.</summary>
    public static ulong Traverse(ulong size) => size == ulong.MaxValue ? ulong.MaxValue / 10 : (size + 9) / 10;

    /// <summary>The macro as cel-go expands it: loop condition and step per element, plus the accumulator's result.</summary>
    public static ulong Comprehension(string macro, ulong rangeCost, ulong elements, ulong bodyCost)
    {
        var (init, loop, step, result) = macro switch
        {
            "all" => (0UL, 2UL, Add(bodyCost, 1), 1UL),                    // @not_strictly_false(r); r && body; r
            "exists" => (0UL, 3UL, Add(bodyCost, 1), 1UL),                 // @not_strictly_false(!r); r || body; r
            "exists_one" => (0UL, 0UL, Add(bodyCost, 2), 2UL),             // true; body ? r + 1 : r; r == 1
            "map" => (ListCreate, 0UL, Add(bodyCost, ListCreate + 2), 1UL), // r + [body]
            _ => (ListCreate, 0UL, Add(bodyCost, ListCreate + 3), 1UL),     // filter: body ? r + [x] : r
        };
        return Add(Add(Add(rangeCost, init), result), Multiply(elements, Add(loop, step)));
    }

    /// <summary>The largest size a value of this schema can have (1 for scalars).</summary>
    public static ulong Bound(JsonObject schema) => schema["type"]?.GetValue<string>() switch
    {
        "string" => Limit(schema, "maxLength") ?? UnboundedString,
        "array" => Limit(schema, "maxItems") ?? (MaxRequestBytes - 2) / (MinSize(schema["items"] as JsonObject) + 1),
        "object" when schema["additionalProperties"] is JsonObject values =>
            Limit(schema, "maxProperties") ?? (MaxRequestBytes - 2) / (MinSize(values) + 4),
        "object" when schema["properties"] is JsonObject properties => (ulong)properties.Count,
        "object" => Limit(schema, "maxProperties") ?? (MaxRequestBytes - 2) / 4,
        _ => 1,
    };

    /// <summary>How many times a rule at this schema node may run for one object: the product of the bounds of the lists and maps above it.</summary>
    public static ulong Cardinality(IEnumerable<JsonObject> containers) =>
        containers.Aggregate(1UL, (product, c) => Multiply(product, Bound(c)));

    private static ulong? Limit(JsonObject schema, string key) =>
        schema[key] is JsonValue v && v.TryGetValue<long>(out var n) && n >= 0 ? (ulong)n : null;

    /// <summary>The fewest JSON bytes a value takes: <c>{}</c>, <c>[]</c>, <c>""</c>, <c>0</c>, <c>true</c>.</summary>
    private static ulong MinSize(JsonObject? schema) => schema?["type"]?.GetValue<string>() switch
    {
        "object" or "array" or "string" => 2,
        "boolean" => 4,
        _ => 1,
    };
}
