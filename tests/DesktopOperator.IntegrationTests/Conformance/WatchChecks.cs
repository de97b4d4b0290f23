using System.Net;
using System.Text.Json.Nodes;
using static DesktopOperator.IntegrationTests.Conformance.KubeJson;

namespace DesktopOperator.IntegrationTests.Conformance;

/// <summary>Watch semantics: replay from a resourceVersion, 410 for a too-old one, bookmarks and timeout, selector transitions.</summary>
internal static class WatchChecks
{
    private static string Widgets(string ns) => ConformanceChecks.Widgets(ns);

    /// <summary>Reads watch events until <paramref name="count"/> arrived or the server ended the stream.</summary>
    public static async Task<List<JsonObject>> ReadAsync(HttpClient c, string path, int count, TimeSpan limit, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(limit);
        var events = new List<JsonObject>();
        using var response = await c.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        while (events.Count < count && await reader.ReadLineAsync(cts.Token) is { } line)
        {
            events.Add(JsonNode.Parse(line)!.AsObject());
        }

        return events;
    }

    public static async Task ReplayAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        await SendAsync(c, HttpMethod.Post, Widgets(ns), Widget("a"), ct);
        var rv = Rv((await GetAsync(c, Widgets(ns), ct))!);
        await SendAsync(c, HttpMethod.Post, Widgets(ns), Widget("b"), ct);
        await SendAsync(c, HttpMethod.Patch, $"{Widgets(ns)}/b", """{"spec":{"replicas":2}}""", ct, "application/merge-patch+json");
        await SendAsync(c, HttpMethod.Patch, $"{Widgets(ns)}/a", """{"spec":{"size":"small"}}""", ct, "application/merge-patch+json");
        await SendAsync(c, HttpMethod.Delete, $"{Widgets(ns)}/a", null, ct);
        var events = await ReadAsync(c, $"{Widgets(ns)}?watch=1&resourceVersion={rv}", 3, TimeSpan.FromSeconds(10), ct);
        Assert.Equal(["ADDED b", "MODIFIED b", "DELETED a"], events.Select(e => $"{e["type"]} {e["object"]!["metadata"]!["name"]}"));
        Assert.True(Rv(events[2]["object"]!) > Rv(events[1]["object"]!), "the DELETED object carries the deletion's resourceVersion");
        var initial = await ReadAsync(c, $"{Widgets(ns)}?watch=1&resourceVersion=0", 1, TimeSpan.FromSeconds(10), ct);
        Assert.Equal("ADDED b", $"{initial[0]["type"]} {initial[0]["object"]!["metadata"]!["name"]}");
    }

    public static async Task TooOldAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        var events = await ReadAsync(c, $"{Widgets(ns)}?watch=1&resourceVersion=1", 2, TimeSpan.FromSeconds(10), ct);
        var e = Assert.Single(events);
        Assert.Equal("ERROR", e["type"]!.ToString());
        Assert.Equal(410, e["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", e["object"]!["reason"]!.ToString());
    }

    /// <summary>
    /// Bookmarks are best effort (transcript 16: an idle 8 s watch got none): the stream ends cleanly at the timeout, and
    /// whatever arrives on an idle resource is a BOOKMARK carrying only a resourceVersion — none is required.
    /// </summary>
    public static async Task BookmarksAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        var rv = Rv((await GetAsync(c, Widgets(ns), ct))!);
        var events = await ReadAsync(c, $"{Widgets(ns)}?watch=1&allowWatchBookmarks=true&timeoutSeconds=4&resourceVersion={rv}", int.MaxValue, TimeSpan.FromSeconds(15), ct);
        Assert.All(events, e =>
        {
            Assert.Equal("BOOKMARK", e["type"]!.ToString());
            var meta = e["object"]!["metadata"]!.AsObject();
            Assert.Equal(["resourceVersion"], meta.Select(kv => kv.Key));
        });
    }

    /// <summary>
    /// Transcript 16: leaving the selection is a DELETED carrying the object as it was before (with the change's
    /// resourceVersion); coming back is ADDED.
    /// </summary>
    public static async Task SelectorTransitionAsync(ConformanceTarget t, string ns, CancellationToken ct)
    {
        using var c = t.CreateClient();
        var rv = Rv((await GetAsync(c, Widgets(ns), ct))!);
        await SendAsync(c, HttpMethod.Post, Widgets(ns), Widget("w", labels: """{"tier":"gold"}"""), ct);
        var (_, left) = await SendAsync(c, HttpMethod.Patch, $"{Widgets(ns)}/w", """{"metadata":{"labels":{"tier":"silver"}}}""", ct, "application/merge-patch+json");
        var (_, back) = await SendAsync(c, HttpMethod.Patch, $"{Widgets(ns)}/w", """{"metadata":{"labels":{"tier":"gold"}}}""", ct, "application/merge-patch+json");
        var events = await ReadAsync(c, $"{Widgets(ns)}?watch=1&labelSelector=tier%3Dgold&resourceVersion={rv}", 3, TimeSpan.FromSeconds(10), ct);
        Assert.Equal(["ADDED", "DELETED", "ADDED"], events.Select(e => e["type"]!.ToString()));
        Assert.Equal("gold", events[1]["object"]!["metadata"]!["labels"]!["tier"]!.ToString());
        Assert.Equal(Rv(left), Rv(events[1]["object"]!));
        Assert.Equal(Rv(back), Rv(events[2]["object"]!));
    }
}
