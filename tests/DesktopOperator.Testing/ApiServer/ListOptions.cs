using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.ApiServer;

/// <summary>List/watch query parameters, validated with the real server's 400/422 answers.</summary>
internal sealed record ListOptions(
    LabelSelector Labels,
    FieldSelector Fields,
    long? Limit,
    string? Continue,
    string? ResourceVersion,
    string? ResourceVersionMatch,
    bool Watch,
    bool AllowBookmarks,
    long? TimeoutSeconds)
{
    public static ListOptions From(ResourceType type, Func<string, string?> query)
    {
        var limit = ParseLong(query("limit"));
        var rv = query("resourceVersion");
        var match = query("resourceVersionMatch");
        if (!string.IsNullOrEmpty(match) && string.IsNullOrEmpty(rv))
        {
            throw StatusBodies.Invalid("ListOptions.meta.k8s.io", "meta.k8s.io", "ListOptions", string.Empty,
                [new FieldCause("FieldValueForbidden", "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided", "resourceVersionMatch")]);
        }

        var watch = query("watch") is "1" or "true";
        return new ListOptions(
            LabelSelector.Parse(query("labelSelector")),
            FieldSelector.Parse(query("fieldSelector"), type),
            limit is > 0 ? limit : null,
            string.IsNullOrEmpty(query("continue")) ? null : query("continue"),
            rv,
            match,
            watch,
            query("allowWatchBookmarks") is "1" or "true",
            ParseLong(query("timeoutSeconds")));
    }

    public bool Matches(JsonObject obj) => Labels.Matches(obj) && Fields.Matches(obj);

    private static long? ParseLong(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw StatusBodies.BadRequest($"strconv.ParseInt: parsing \"{text}\": invalid syntax");
    }
}
