using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DesktopOperator.IntegrationTests.ApiServer;

/// <summary>
/// Compares a recorded (normalised) transcript body with a live one, the README's normalisation applied to the live
/// side: <c>&lt;rv:N&gt;</c> binds N to one live resourceVersion (a bijection per file, so equality and order stay
/// checked), <c>&lt;uid&gt;</c> needs a UUID, <c>&lt;time&gt;</c> any timestamp, <c>gen-&lt;random5&gt;</c> a generated name,
/// <c>&lt;continue:{..}&gt;</c> a token whose decoded JSON matches. Also substitutes bound values back into requests.
/// </summary>
internal sealed partial class TranscriptMatcher
{
    private readonly Dictionary<string, string> _rvs = [];
    private readonly Dictionary<string, string> _rvsBack = [];
    private readonly Dictionary<string, string> _generatedNames = [];

    public Dictionary<string, string> UidsByName { get; } = [];

    public string? Rv(string placeholder) => _rvs.GetValueOrDefault(placeholder);

    public void Compare(JsonNode? recorded, JsonNode? actual, string path, List<string> diffs)
    {
        switch (recorded)
        {
            case JsonObject r when actual is JsonObject a:
                if (r.ContainsKey("items(names; full items omitted)"))
                {
                    var names = new JsonArray((a["items"] as JsonArray ?? []).Select(i => (JsonNode)$"{i?["metadata"]?["namespace"]}/{i?["metadata"]?["name"]}").ToArray());
                    var copy = a.DeepClone().AsObject();
                    copy.Remove("items");
                    copy["items(names; full items omitted)"] = names;
                    a = copy;
                }

                a = NormaliseKeys(a);
                foreach (var (key, value) in r)
                {
                    if (!a.ContainsKey(key))
                    {
                        diffs.Add($"{path}.{key}: missing (expected {Short(value)})");
                        continue;
                    }

                    Compare(value, a[key], $"{path}.{key}", diffs);
                }

                foreach (var (key, value) in a)
                {
                    if (!r.ContainsKey(key))
                    {
                        diffs.Add($"{path}.{key}: unexpected {Short(value)}");
                    }
                }

                break;
            case JsonArray r when actual is JsonArray a:
                if (r.Count != a.Count)
                {
                    diffs.Add($"{path}: {a.Count} items, expected {r.Count}: got {Short(a)}");
                    return;
                }

                for (var i = 0; i < r.Count; i++)
                {
                    Compare(r[i], a[i], $"{path}[{i}]", diffs);
                }

                break;
            case JsonValue r when r.GetValueKind() == JsonValueKind.String && actual is JsonValue a && a.GetValueKind() == JsonValueKind.String:
                if (!MatchString(r.GetValue<string>(), a.GetValue<string>()))
                {
                    diffs.Add($"{path}: \"{a.GetValue<string>()}\", expected \"{r.GetValue<string>()}\"");
                }

                break;
            default:
                if (!JsonNode.DeepEquals(recorded, actual))
                {
                    diffs.Add($"{path}: {Short(actual)}, expected {Short(recorded)}");
                }

                break;
        }
    }

    /// <summary>Matches a recorded string (possibly holding placeholders) against a live one, binding new placeholders.</summary>
    public bool MatchString(string recorded, string actual)
    {
        if (recorded == actual)
        {
            return true;
        }

        if (recorded == "<time>" || recorded == "<server-address>")
        {
            return true;
        }

        var cont = ContinuePlaceholder().Match(recorded);
        if (cont.Success && cont.Length == recorded.Length)
        {
            var decoded = DecodeToken(actual);
            var expected = JsonNode.Parse(cont.Groups[1].Value);
            var diffs = new List<string>();
            Compare(expected, decoded, "continue", diffs);
            return diffs.Count == 0;
        }

        if (!recorded.Contains('<', StringComparison.Ordinal))
        {
            return false;
        }

        var names = new List<string>();
        var pattern = new StringBuilder("^");
        var last = 0;
        foreach (Match m in Placeholder().Matches(recorded))
        {
            pattern.Append(Regex.Escape(recorded[last..m.Index]));
            last = m.Index + m.Length;
            switch (m.Value)
            {
                case "<uid>":
                    pattern.Append("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
                    break;
                case "<time>":
                    pattern.Append(@"[0-9TZ:.\-]+");
                    break;
                case "<ptr>":
                    pattern.Append("0x[0-9a-f]+");
                    break;
                case "<random5>":
                    pattern.Append("([bcdfghjklmnpqrstvwxz2456789]{5})");
                    names.Add(m.Value);
                    break;
                default:
                    if (_rvs.TryGetValue(m.Value, out var bound))
                    {
                        pattern.Append(Regex.Escape(bound));
                    }
                    else
                    {
                        pattern.Append(@"(\d+)");
                        names.Add(m.Value);
                    }

                    break;
            }
        }

        pattern.Append(Regex.Escape(recorded[last..])).Append('$');
        var match = Regex.Match(actual, pattern.ToString(), RegexOptions.Singleline);
        if (!match.Success)
        {
            return false;
        }

        for (var i = 0; i < names.Count; i++)
        {
            var value = match.Groups[i + 1].Value;
            if (names[i] == "<random5>")
            {
                _generatedNames[recorded] = actual;
                continue;
            }

            if (_rvsBack.TryGetValue(value, out var other) && other != names[i])
            {
                return false;
            }

            _rvs[names[i]] = value;
            _rvsBack[value] = names[i];
        }

        return true;
    }

    /// <summary>Replaces placeholders in a recorded request text with the live values bound so far.</summary>
    public string Substitute(string text, Func<string, string> unboundRv)
    {
        text = ContinuePlaceholder().Replace(text, m =>
        {
            var json = JsonNode.Parse(Substitute(m.Groups[1].Value, unboundRv))!.AsObject();
            var rv = json["rv"]!.ToString();
            json["rv"] = long.Parse(rv, System.Globalization.CultureInfo.InvariantCulture);
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(json.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        });
        text = RvPlaceholder().Replace(text, m => _rvs.TryGetValue(m.Value, out var v) ? v : unboundRv(m.Value));
        foreach (var (recorded, actual) in _generatedNames)
        {
            text = text.Replace(recorded, actual, StringComparison.Ordinal);
        }

        return text;
    }

    public void LearnUids(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            if (o["metadata"] is JsonObject meta && meta["name"] is JsonValue n && meta["uid"] is JsonValue u)
            {
                UidsByName[n.ToString()] = u.ToString();
            }

            foreach (var (_, v) in o)
            {
                LearnUids(v);
            }
        }
        else if (node is JsonArray a)
        {
            foreach (var v in a)
            {
                LearnUids(v);
            }
        }
    }

    /// <summary>Keys holding UUIDs (FieldsV1's <c>k:{"uid":...}</c>) normalised to &lt;uid&gt;, as the recording did.</summary>
    private static JsonObject NormaliseKeys(JsonObject a)
    {
        if (!a.Any(kv => Uuid().IsMatch(kv.Key)))
        {
            return a;
        }

        var copy = new JsonObject();
        foreach (var (k, v) in a)
        {
            copy[Uuid().Replace(k, "<uid>")] = v?.DeepClone();
        }

        return copy;
    }

    private static JsonNode? DecodeToken(string token)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
            var node = JsonNode.Parse(Convert.FromBase64String(padded))!.AsObject();
            node["rv"] = node["rv"]!.ToString();
            return node;
        }
        catch (FormatException)
        {
            return token;
        }
    }

    private static string Short(JsonNode? n)
    {
        var s = n?.ToJsonString() ?? "null";
        return s.Length > 300 ? s[..300] + "..." : s;
    }

    [GeneratedRegex(@"<rv:\d+>|<uid>|<time>|<ptr>|<random5>")]
    private static partial Regex Placeholder();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"<rv:\d+>")]
    private static partial Regex RvPlaceholder();

    [GeneratedRegex(@"<continue:(\{.*?\})>")]
    private static partial Regex ContinuePlaceholder();
}
