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

/// <summary>The opaque continue token: base64 of <c>{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}</c>, as etcd3 storage builds it.</summary>
internal static class ContinueToken
{
    public static string Encode(long rv, string lastKey)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = lastKey + "\u0000" }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static string GoChar(char c) => c < ' ' || (c >= '\u007f' && c <= '\u009f') ? $"\\u{(int)c:x4}" : c.ToString();

    public static (long Rv, string Start) Decode(string token)
    {
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
            var bytes = Convert.FromBase64String(padded);
            if (bytes.Length > 0 && bytes[0] != (byte)'{')
            {
                throw StatusBodies.BadRequest($"invalid continue token: continue key is not valid: invalid character '{GoChar((char)bytes[0])}' looking for beginning of value");
            }

            var node = JsonNode.Parse(bytes)!;
            if (node["v"]?.GetValue<string>() != "meta.k8s.io/v1")
            {
                throw StatusBodies.BadRequest("invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            }

            return (long.Parse(node["rv"]!.ToJsonString(), CultureInfo.InvariantCulture), node["start"]!.GetValue<string>().TrimEnd('\u0000'));
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or NullReferenceException)
        {
            throw StatusBodies.BadRequest($"invalid continue token: continue key is not valid: {e.Message}");
        }
    }
}
