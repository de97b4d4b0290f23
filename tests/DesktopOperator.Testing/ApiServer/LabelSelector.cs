using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>
/// Kubernetes label selector (<c>=</c>, <c>==</c>, <c>!=</c>, <c>in</c>, <c>notin</c>, <c>key</c>, <c>!key</c>, comma = AND).
/// Parse errors throw a 400 with apimachinery's wording.
/// </summary>
internal sealed partial class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
        {
            requirements.Add(ParseRequirement(part.Trim()));
        }

        return new LabelSelector(requirements);
    }

    public bool Matches(JsonObject obj)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        return _requirements.All(r => r.Matches(labels?[r.Key]?.GetValue<string>()));
    }

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }

    private static Requirement ParseRequirement(string part)
    {
        var set = SetForm().Match(part);
        if (set.Success)
        {
            var values = set.Groups[3].Value.Split(',').Select(v => v.Trim()).ToList();
            return new Requirement(CheckKey(set.Groups[1].Value), set.Groups[2].Value, CheckValues(set.Groups[1].Value, values));
        }

        if (OpenSet().IsMatch(part))
        {
            throw StatusBodies.BadRequest("unable to parse requirement: found '', expected: ',' or ')'");
        }

        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = part.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var key = part[..at].Trim();
                var value = part[(at + op.Length)..].Trim();
                return new Requirement(CheckKey(key), op == "!=" ? "!=" : "=", CheckValues(key, [value]));
            }
        }

        return part.StartsWith('!')
            ? new Requirement(CheckKey(part[1..].Trim()), "!", [])
            : new Requirement(CheckKey(part), "exists", []);
    }

    private static string CheckKey(string key)
    {
        if (!KeyForm().IsMatch(key))
        {
            throw StatusBodies.BadRequest($"unable to parse requirement: invalid label key \"{key}\"");
        }

        return key;
    }

    private static List<string> CheckValues(string key, List<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Length > 63 || !ValueForm().IsMatch(values[i]))
            {
                throw StatusBodies.BadRequest(
                    $"unable to parse requirement: values[{i}][{key}]: Invalid value: \"{values[i]}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
            }
        }

        return values;
    }

    [GeneratedRegex(@"^\s*([^\s!=(),]+)\s+(in|notin)\s*\(([^()]*)\)\s*$")]
    private static partial Regex SetForm();

    [GeneratedRegex(@"^\s*([^\s!=(),]+)\s+(in|notin)\s*\(")]
    private static partial Regex OpenSet();

    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex KeyForm();

    [GeneratedRegex(@"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex ValueForm();

    private sealed record Requirement(string Key, string Op, List<string> Values)
    {
        public bool Matches(string? value) => Op switch
        {
            "=" or "in" => value is not null && Values.Contains(value),
            "!=" or "notin" => value is null || !Values.Contains(value),
            "exists" => value is not null,
            _ => value is null,
        };
    }
}
