using System.Collections;
using System.Reflection;
using System.Text.Json;
using DesktopOperator.Api.Schema;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Api.Crds;

/// <summary>
/// Builds the structural OpenAPI v3 schema of a type by reflection: JSON names and types as
/// <see cref="KubeJson.Options"/> serializes them, constraints from the attributes in <see cref="Schema"/>,
/// descriptions from doc comments, and defaults from the C# property initializers.
/// </summary>
internal sealed class SchemaGenerator(XmlDocumentation docs)
{
    public XmlDocumentation Docs { get; } = docs;

    /// <summary>
    /// The schema of an object type. With <paramref name="withDefaults"/> (spec types), each optional property whose
    /// initializer gives a value gets it as <c>default</c>, and optional object properties get <c>default: {}</c>
    /// so the API server applies their fields' defaults when the object is omitted.
    /// </summary>
    public SortedDictionary<string, object?> ForObject(Type type, bool withDefaults)
    {
        if (type == typeof(V1Condition))
        {
            return ConditionSchema.Create();
        }

        var instance = withDefaults ? Activator.CreateInstance(type) : null;
        var properties = Node();
        var required = new List<string>();
        foreach (var property in KubeJson.Options.GetTypeInfo(type).Properties)
        {
            if (property.IsExtensionData || property.AttributeProvider is not PropertyInfo info)
            {
                continue;
            }

            var isRequired = IsRequired(info);
            properties[property.Name] = ForProperty(info, isRequired ? null : instance, withDefaults);
            if (isRequired)
            {
                required.Add(property.Name);
            }
        }

        var node = Node();
        node["type"] = "object";
        node["properties"] = properties;
        if (required.Count > 0)
        {
            required.Sort(StringComparer.Ordinal);
            node["required"] = required;
        }

        SchemaKeywords.AddRules(node, type.GetCustomAttributes<CelRuleAttribute>());
        return node;
    }

    public static SortedDictionary<string, object?> Node() => new(StringComparer.Ordinal);

    public static bool IsRequired(PropertyInfo info) =>
        info.IsDefined(typeof(RequiredAttribute)) || info.IsDefined(typeof(System.Text.Json.Serialization.JsonRequiredAttribute));

    private SortedDictionary<string, object?> ForProperty(PropertyInfo info, object? instance, bool withDefaults)
    {
        var node = ForType(info.PropertyType, withDefaults);
        var description = Docs.Property(info) ?? Docs.Type(Underlying(info.PropertyType));
        if (description is not null)
        {
            node["description"] = description;
        }

        SchemaKeywords.Apply(info, node);
        if (instance is not null && DefaultOf(info.GetValue(instance), node) is { } value)
        {
            node["default"] = value;
        }

        return node;
    }

    /// <summary>
    /// The default of an object property: the object its fields' defaults make (nested objects likewise), never a
    /// bare <c>{}</c>. The API server checks a default against its object's CEL rules without applying nested
    /// defaults first, so <c>{}</c> would fail a rule that reads <c>self.minHosts</c>.
    /// </summary>
    private static SortedDictionary<string, object?> FullDefault(SortedDictionary<string, object?> node)
    {
        var value = Node();
        if (node.TryGetValue("properties", out var properties) && properties is SortedDictionary<string, object?> fields)
        {
            foreach (var (name, field) in fields)
            {
                if (field is SortedDictionary<string, object?> schema && schema.TryGetValue("default", out var fieldDefault))
                {
                    value[name] = fieldDefault;
                }
            }
        }

        return value;
    }

    private SortedDictionary<string, object?> ForType(Type type, bool withDefaults)
    {
        type = Underlying(type);
        var node = Node();
        if (type == typeof(string))
        {
            node["type"] = "string";
        }
        else if (type == typeof(int))
        {
            node["type"] = "integer";
            node["format"] = "int32";
        }
        else if (type == typeof(long))
        {
            node["type"] = "integer";
            node["format"] = "int64";
        }
        else if (type == typeof(bool))
        {
            node["type"] = "boolean";
        }
        else if (type.IsEnum)
        {
            node["type"] = "string";
            node["enum"] = Enum.GetNames(type).Cast<object?>().ToList();
        }
        else if (type == typeof(DateTimeOffset))
        {
            node["type"] = "string";
            node["format"] = "date-time";
        }
        else if (type == typeof(JsonElement))
        {
            node["type"] = "object";
            node["x-kubernetes-preserve-unknown-fields"] = true;
        }
        else if (DictionaryValueType(type) is { } valueType)
        {
            node["type"] = "object";
            node["additionalProperties"] = ForType(valueType, withDefaults);
        }
        else if (ListItemType(type) is { } itemType)
        {
            node["type"] = "array";
            node["items"] = ForType(itemType, withDefaults);
        }
        else if (type.IsClass)
        {
            return ForObject(type, withDefaults);
        }
        else
        {
            throw new NotSupportedException($"No schema mapping for {type.FullName}.");
        }

        return node;
    }

    private static object? DefaultOf(object? value, SortedDictionary<string, object?> node) => value switch
    {
        null or "" => null,
        string or int or long or bool => value,
        Enum e => e.ToString(),
        IEnumerable => null,
        _ when value.GetType().IsClass => FullDefault(node),
        _ => null,
    };

    private static Type Underlying(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static Type? DictionaryValueType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>) &&
        type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    private static Type? ListItemType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>) ? type.GetGenericArguments()[0] : null;
}
