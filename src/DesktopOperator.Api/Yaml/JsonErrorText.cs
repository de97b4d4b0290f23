using System.Globalization;
using System.Reflection;
using System.Text.Json;
using YamlDotNet.RepresentationModel;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.Api.Yaml;

/// <summary>Turns a System.Text.Json error into a plain message that names the field and what it expects.</summary>
internal static class JsonErrorText
{
    /// <returns>The message, and whether it is about the field's key (unknown field) rather than its value.</returns>
    public static (string Reason, bool AtKey) Describe(JsonException error, Type rootType, IReadOnlyList<string> segments, YamlNode node)
    {
        var field = JsonPathLocator.Format(segments);
        var prefix = field.Length > 0 ? field + ": " : "";
        const string Missing = "missing required properties including: ";
        var missingAt = error.Message.IndexOf(Missing, StringComparison.Ordinal);
        if (missingAt >= 0)
        {
            return ($"{prefix}missing required field {error.Message[(missingAt + Missing.Length)..].TrimEnd('.')}", false);
        }

        if (error.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return ($"{prefix}unknown field", true);
        }

        var found = node switch
        {
            YamlScalarNode scalar => $"'{scalar.Value}'",
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            _ => "the value",
        };
        var expected = Nullable.GetUnderlyingType(TargetType(rootType, segments) ?? typeof(object)) ?? TargetType(rootType, segments);
        var reason = expected switch
        {
            { IsEnum: true } => $"{found} is not one of {string.Join(", ", Enum.GetNames(expected))}",
            _ when expected == typeof(int) || expected == typeof(long) => $"{found} is not an integer",
            _ when expected == typeof(bool) => $"{found} is not true or false",
            _ when expected == typeof(string) => $"{found} is not a string",
            _ when expected == typeof(DateTimeOffset) => $"{found} is not an RFC 3339 time",
            { IsGenericType: true } when expected.GetGenericTypeDefinition() == typeof(IList<>) => $"{found} is not a list",
            { IsClass: true } when expected != typeof(object) => $"{found} is not a mapping",
            _ => FirstSentence(error.Message),
        };
        return (prefix + reason, false);
    }

    private static Type? TargetType(Type rootType, IReadOnlyList<string> segments)
    {
        Type? type = rootType;
        foreach (var segment in segments)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>) &&
                int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                type = type.GetGenericArguments()[0];
            }
            else if (type.IsClass && type != typeof(string))
            {
                type = (KubeJson.Options.GetTypeInfo(type).Properties
                    .FirstOrDefault(p => p.Name == segment)?.AttributeProvider as PropertyInfo)?.PropertyType;
            }
            else
            {
                type = null;
            }

            if (type is null)
            {
                return null;
            }
        }

        return type;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
