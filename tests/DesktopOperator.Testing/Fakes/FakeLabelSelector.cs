using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.Fakes;

/// <summary>Equality-based label selectors (<c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a</c>, <c>!a</c>) and the
/// <c>metadata.name</c>/<c>metadata.namespace</c> field selectors.</summary>
internal static class FakeLabelSelector
{
    public static bool Matches(JsonObject obj, string? labelSelector, string? fieldSelector)
    {
        var labels = obj["metadata"]?["labels"] as JsonObject;
        foreach (var term in Split(labelSelector))
        {
            if (!MatchesTerm(term, key => labels?[key]?.GetValue<string>()))
            {
                return false;
            }
        }

        foreach (var term in Split(fieldSelector))
        {
            if (!MatchesTerm(term, key => key switch
            {
                "metadata.name" => obj["metadata"]?["name"]?.GetValue<string>(),
                "metadata.namespace" => obj["metadata"]?["namespace"]?.GetValue<string>(),
                _ => throw new NotSupportedException($"field selector {key} is not supported by the fake"),
            }))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> Split(string? selector) =>
        string.IsNullOrWhiteSpace(selector) ? [] : selector.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static bool MatchesTerm(string term, Func<string, string?> valueOf)
    {
        var notEqual = term.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual > 0)
        {
            return valueOf(term[..notEqual]) != term[(notEqual + 2)..];
        }

        var equal = term.IndexOf('=', StringComparison.Ordinal);
        if (equal > 0)
        {
            var value = term[(equal + 1)..].TrimStart('=');
            return valueOf(term[..equal]) == value;
        }

        return term.StartsWith('!') ? valueOf(term[1..]) is null : valueOf(term) is not null;
    }
}
