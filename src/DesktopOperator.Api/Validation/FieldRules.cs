using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using DesktopOperator.Api.Durations;
using DesktopOperator.Api.Schema;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Api.Validation;

/// <summary>
/// The single-field rules of the schema, checked in C# from the same attributes the CRD generator reads (required,
/// pattern, duration, range, length, items, enum values, list-map keys and list-set values), so the two cannot
/// disagree. Cross-field (CEL) rules are in the per-kind validators.
/// </summary>
internal static class FieldRules
{
    private static readonly ConcurrentDictionary<string, Regex> Regexes = new(StringComparer.Ordinal);

    public static void Validate(object value, string path, List<ValidationError> errors)
    {
        foreach (var property in KubeJson.Options.GetTypeInfo(value.GetType()).Properties)
        {
            if (property.IsExtensionData || property.AttributeProvider is not PropertyInfo info)
            {
                continue;
            }

            var field = $"{path}.{property.Name}";
            var fieldValue = info.GetValue(value);
            if (Crds.SchemaGenerator.IsRequired(info) && fieldValue is null or "")
            {
                errors.Add(new(field, "required"));
                continue;
            }

            if (fieldValue is not null)
            {
                ValidateValue(info, fieldValue, field, errors);
            }
        }
    }

    private static void ValidateValue(PropertyInfo info, object value, string field, List<ValidationError> errors)
    {
        switch (value)
        {
            case string text:
                ValidateString(info, text, field, errors);
                break;
            case int or long:
                if (info.GetCustomAttribute<RangeAttribute>() is { } range)
                {
                    var number = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                    if (number < range.Minimum || number > range.Maximum)
                    {
                        errors.Add(new(field, $"must be between {range.Minimum} and {range.Maximum} (is {number})"));
                    }
                }

                break;
            case Enum e when !Enum.IsDefined(e.GetType(), e):
                errors.Add(new(field, $"must be one of {string.Join(", ", Enum.GetNames(e.GetType()))}"));
                break;
            case JsonElement { ValueKind: not JsonValueKind.Object }:
                errors.Add(new(field, "must be an object"));
                break;
            case IList list:
                ValidateList(info, list, field, errors);
                break;
            case Enum or bool or JsonElement or DateTimeOffset or IDictionary<string, string>:
                break;
            default:
                Validate(value, field, errors);
                break;
        }
    }

    private static void ValidateString(PropertyInfo info, string text, string field, List<ValidationError> errors)
    {
        if (info.GetCustomAttribute<LengthAttribute>() is { } length && (text.Length < length.MinLength || text.Length > length.MaxLength))
        {
            errors.Add(new(field, text.Length < length.MinLength
                ? $"must be at least {length.MinLength} characters"
                : $"must be at most {length.MaxLength} characters (is {text.Length})"));
            return;
        }

        if (info.IsDefined(typeof(DurationAttribute)) && !Duration.TryParse(text, out _))
        {
            errors.Add(new(field, $"'{text}' is not a duration such as 30s, 5m or 1h30m"));
        }

        if (info.GetCustomAttribute<PatternAttribute>() is { } pattern && !Matches(pattern.Pattern, text))
        {
            errors.Add(new(field, $"'{text}' must be {pattern.Explanation}"));
        }
    }

    private static void ValidateList(PropertyInfo info, IList list, string field, List<ValidationError> errors)
    {
        if (info.GetCustomAttribute<ItemsAttribute>() is { } items && (list.Count < items.MinItems || list.Count > items.MaxItems))
        {
            errors.Add(new(field, list.Count < items.MinItems
                ? $"must have at least {items.MinItems} item{(items.MinItems == 1 ? "" : "s")}"
                : $"must have at most {items.MaxItems} items (has {list.Count})"));
        }

        var keyProperty = info.GetCustomAttribute<ListMapAttribute>()?.Key;
        var isSet = info.IsDefined(typeof(ListSetAttribute));
        var seen = new HashSet<object>();
        for (var i = 0; i < list.Count; i++)
        {
            var itemField = $"{field}[{i}]";
            switch (list[i])
            {
                case null:
                    errors.Add(new(itemField, "must not be null"));
                    continue;
                case string text:
                    if (isSet && !seen.Add(text))
                    {
                        errors.Add(new(itemField, $"duplicate value '{text}'"));
                    }

                    continue;
                case var item:
                    Validate(item, itemField, errors);
                    if (keyProperty is not null && KeyOf(item, keyProperty) is { } key and not "" && !seen.Add(key))
                    {
                        errors.Add(new($"{itemField}.{keyProperty}", $"duplicate value '{key}'"));
                    }

                    break;
            }
        }
    }

    private static object? KeyOf(object item, string jsonName) =>
        KubeJson.Options.GetTypeInfo(item.GetType()).Properties
            .FirstOrDefault(p => p.Name == jsonName)?.Get?.Invoke(item);

    /// <summary>
    /// Matches as RE2 does for the schema: <c>$</c> at the end of the pattern means the end of the text (in .NET it
    /// would also match before a final newline).
    /// </summary>
    internal static bool Matches(string pattern, string text) =>
        Regexes.GetOrAdd(pattern, p => new Regex(
            p.EndsWith('$') ? p[..^1] + @"\z" : p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))).IsMatch(text);
}
