using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace DesktopOperator.IntegrationTests.Conformance;

/// <summary>Tiny HTTP+JSON helpers for checks that must not depend on the typed client.</summary>
internal static class KubeJson
{
    public static StringContent Content(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    public static async Task<JsonObject?> GetAsync(HttpClient client, string path, CancellationToken ct)
    {
        using var response = await client.GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
    }

    /// <summary>Sends and returns (status, body); never throws on an API error status.</summary>
    public static async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? json, CancellationToken ct, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = Content(json, mediaType);
        }

        using var response = await client.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public static string Widget(string name, string spec = """{"size":"small"}""", string? labels = null, string? extraMeta = null) =>
        $$"""{"apiVersion":"example.test/v1","kind":"Widget","metadata":{"name":"{{name}}"{{(labels is null ? "" : ",\"labels\":" + labels)}}{{(extraMeta is null ? "" : "," + extraMeta)}}},"spec":{{spec}}}""";

    public static long Rv(JsonNode obj) => long.Parse(obj["metadata"]!["resourceVersion"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
}
