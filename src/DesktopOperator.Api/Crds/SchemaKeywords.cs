using System.Reflection;
using DesktopOperator.Api.Durations;
using DesktopOperator.Api.Schema;

namespace DesktopOperator.Api.Crds;

/// <summary>The OpenAPI and Kubernetes schema keywords our attributes stand for.</summary>
internal static class SchemaKeywords
{
    public static void Apply(PropertyInfo info, SortedDictionary<string, object?> node)
    {
        if (info.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            node["pattern"] = pattern.Pattern;
        }

        if (info.IsDefined(typeof(DurationAttribute)))
        {
            node["pattern"] = Duration.Pattern;
        }

        if (info.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            node["minimum"] = range.Minimum;
            node["maximum"] = range.Maximum;
        }

        if (info.GetCustomAttribute<LengthAttribute>() is { } length)
        {
            node["minLength"] = length.MinLength;
            node["maxLength"] = length.MaxLength;
        }

        if (info.GetCustomAttribute<ItemsAttribute>() is { } items)
        {
            node["minItems"] = items.MinItems;
            node["maxItems"] = items.MaxItems;
        }

        if (info.GetCustomAttribute<ListMapAttribute>() is { } listMap)
        {
            node["x-kubernetes-list-type"] = "map";
            node["x-kubernetes-list-map-keys"] = new List<object?> { listMap.Key };
        }

        if (info.IsDefined(typeof(ListSetAttribute)))
        {
            node["x-kubernetes-list-type"] = "set";
        }

        AddRules(node, info.GetCustomAttributes<CelRuleAttribute>());
    }

    public static void AddRules(SortedDictionary<string, object?> node, IEnumerable<CelRuleAttribute> rules)
    {
        // Sorted by rule text: attribute order from reflection is not guaranteed to be stable.
        var list = rules.OrderBy(r => r.Rule, StringComparer.Ordinal).Select(r =>
        {
            var rule = SchemaGenerator.Node();
            rule["rule"] = r.Rule;
            rule["message"] = r.Message;
            return (object?)rule;
        }).ToList();
        if (list.Count > 0)
        {
            node["x-kubernetes-validations"] = list;
        }
    }
}
