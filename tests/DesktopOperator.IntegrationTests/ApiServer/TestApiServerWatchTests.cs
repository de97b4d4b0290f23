using System.Net;
using DesktopOperator.Testing.Time;
using DesktopOperator.Testing.Waiting;
using static DesktopOperator.IntegrationTests.Conformance.KubeJson;

namespace DesktopOperator.IntegrationTests.ApiServer;

public sealed class TestApiServerWatchTests
{
    private const string Widgets = "apis/example.test/v1/namespaces/t/widgets";

    [Fact]
    public async Task Watch_RvOutsideHistoryWindow_ErrorEvent410ThenEnd()
    {
        await using var f = await ServerFixture.StartAsync(o => o.HistoryWindow = 3);
        var rv = f.Server.CurrentResourceVersion;
        for (var i = 0; i < 5; i++)
        {
            await SendAsync(f.Client, HttpMethod.Post, Widgets, Widget($"w{i}"), CancellationToken.None);
        }

        var events = await Conformance.WatchChecks.ReadAsync(f.Client, $"{Widgets}?watch=1&resourceVersion={rv}", 5, TimeSpan.FromSeconds(10), CancellationToken.None);
        var e = Assert.Single(events);
        Assert.Equal("ERROR", e["type"]!.ToString());
        Assert.Equal(410, e["object"]!["code"]!.GetValue<int>());
        Assert.StartsWith($"too old resource version: {rv} (", e["object"]!["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompactHistory_OldRv_WatchAndExactListGone()
    {
        await using var f = await ServerFixture.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Widgets, Widget("a"), CancellationToken.None);
        var rv = f.Server.CurrentResourceVersion;
        await SendAsync(f.Client, HttpMethod.Post, Widgets, Widget("b"), CancellationToken.None);
        f.Server.CompactHistory();
        var (status, body) = await SendAsync(f.Client, HttpMethod.Get, $"{Widgets}?resourceVersion={rv}&resourceVersionMatch=Exact", null, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("The resourceVersion for the provided list is too old.", body["message"]!.ToString());
        var events = await Conformance.WatchChecks.ReadAsync(f.Client, $"{Widgets}?watch=1&resourceVersion={rv}", 2, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal("ERROR", Assert.Single(events)["type"]!.ToString());
    }

    [Fact]
    public async Task FutureRv_ListTimesOut504_WatchWaitsForIt()
    {
        await using var f = await ServerFixture.StartAsync();
        var future = f.Server.CurrentResourceVersion + 2;
        var (status, body) = await SendAsync(f.Client, HttpMethod.Get, $"{Widgets}?resourceVersion={future}&resourceVersionMatch=NotOlderThan", null, CancellationToken.None);
        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Equal("ResourceVersionTooLarge", body["details"]!["causes"]![0]!["reason"]!.ToString());
        var watch = Conformance.WatchChecks.ReadAsync(f.Client, $"{Widgets}?watch=1&resourceVersion={future}", 1, TimeSpan.FromSeconds(10), CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await SendAsync(f.Client, HttpMethod.Post, Widgets, Widget($"w{i}"), CancellationToken.None);
        }

        var e = Assert.Single(await watch);
        Assert.Equal("w2", e["object"]!["metadata"]!["name"]!.ToString());
    }

    [Fact]
    public async Task Watch_NoOpUpdate_EmitsNothing()
    {
        await using var f = await ServerFixture.StartAsync();
        var (_, w) = await SendAsync(f.Client, HttpMethod.Post, Widgets, Widget("a"), CancellationToken.None);
        var rv = Rv(w);
        await SendAsync(f.Client, HttpMethod.Put, $"{Widgets}/a", w.ToJsonString(), CancellationToken.None);
        await SendAsync(f.Client, HttpMethod.Patch, $"{Widgets}/a", """{"spec":{"size":"small"}}""", CancellationToken.None, "application/merge-patch+json");
        await SendAsync(f.Client, HttpMethod.Patch, $"{Widgets}/a", """{"spec":{"replicas":1}}""", CancellationToken.None, "application/merge-patch+json");
        var events = await Conformance.WatchChecks.ReadAsync(f.Client, $"{Widgets}?watch=1&resourceVersion={rv}", 1, TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.Equal(1, Assert.Single(events)["object"]!["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Watch_BookmarkInterval_BookmarkWhenClockAdvances()
    {
        var clock = new ManualTimeProvider();
        await using var f = await ServerFixture.StartOnClockAsync(clock, o => o.Namespaces.Add("elsewhere"));
        var watch = Conformance.WatchChecks.ReadAsync(f.Client, $"{Widgets}?watch=1&allowWatchBookmarks=true&resourceVersion={f.Server.CurrentResourceVersion}", 1, TimeSpan.FromSeconds(10), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(clock.ActiveTimers > 0), "the watch arms its timer", CancellationToken.None);

        // A widget changing in another namespace: the watch sees no event, but its bookmark may now move on.
        await SendAsync(f.Client, HttpMethod.Post, "apis/example.test/v1/namespaces/elsewhere/widgets", Widget("other"), CancellationToken.None);
        var changed = f.Server.CurrentResourceVersion;
        clock.Advance(TimeSpan.FromSeconds(61));
        var e = Assert.Single(await watch);
        Assert.Equal("BOOKMARK", e["type"]!.ToString());
        Assert.Equal(changed.ToString(System.Globalization.CultureInfo.InvariantCulture), e["object"]!["metadata"]!["resourceVersion"]!.ToString());
    }

    [Fact]
    public async Task Watch_IdleType_NoBookmarkBeforeTheDeadline()
    {
        var clock = new ManualTimeProvider();
        await using var f = await ServerFixture.StartOnClockAsync(clock);
        var watch = Conformance.WatchChecks.ReadAsync(f.Client, $"{Widgets}?watch=1&allowWatchBookmarks=true&timeoutSeconds=8&resourceVersion={f.Server.CurrentResourceVersion}", 10, TimeSpan.FromSeconds(10), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(clock.ActiveTimers > 0), "the watch arms its timer", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(7));
        await Eventually.TrueAsync(() => Task.FromResult(clock.ActiveTimers > 0), "the watch re-arms its timer for the deadline", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(await watch);
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsCleanlyOnTheServerClock()
    {
        var clock = new ManualTimeProvider();
        await using var f = await ServerFixture.StartOnClockAsync(clock);
        var watch = Conformance.WatchChecks.ReadAsync(f.Client, $"{Widgets}?watch=1&timeoutSeconds=30&resourceVersion=0", 10, TimeSpan.FromSeconds(10), CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(clock.ActiveTimers > 0), "the watch arms its timer", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(await watch);
    }

    [Fact]
    public async Task PagedList_ChangesBetweenPages_ContinueServesTheSnapshot()
    {
        await using var f = await ServerFixture.StartAsync();
        for (var i = 1; i <= 4; i++)
        {
            await SendAsync(f.Client, HttpMethod.Post, Widgets, Widget($"w{i}"), CancellationToken.None);
        }

        var first = await GetAsync(f.Client, $"{Widgets}?limit=2", CancellationToken.None);
        await SendAsync(f.Client, HttpMethod.Delete, $"{Widgets}/w3", null, CancellationToken.None);
        await SendAsync(f.Client, HttpMethod.Post, Widgets, Widget("w5"), CancellationToken.None);
        await SendAsync(f.Client, HttpMethod.Patch, $"{Widgets}/w4", """{"spec":{"replicas":7}}""", CancellationToken.None, "application/merge-patch+json");
        var token = first!["metadata"]!["continue"]!.ToString();
        var second = await GetAsync(f.Client, $"{Widgets}?limit=2&continue={Uri.EscapeDataString(token)}", CancellationToken.None);
        Assert.Equal(["w3", "w4"], second!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()));
        Assert.Null(second["items"]![1]!["spec"]!["replicas"]);
        Assert.Equal(first["metadata"]!["resourceVersion"]!.ToString(), second["metadata"]!["resourceVersion"]!.ToString());
    }

    [Fact]
    public async Task ConcurrentWrites_WatchSeesEveryChangeOnceInRvOrder()
    {
        await using var f = await ServerFixture.StartAsync();
        var rv = f.Server.CurrentResourceVersion;
        const int Writers = 8;
        const int Writes = 25;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async w =>
        {
            await SendAsync(f.Client, HttpMethod.Post, Widgets, Widget($"w{w}"), CancellationToken.None);
            for (var i = 1; i <= Writes; i++)
            {
                var (status, _) = await SendAsync(f.Client, HttpMethod.Patch, $"{Widgets}/w{w}", "{\"spec\":{\"replicas\":" + (i % 10) + "}}", CancellationToken.None, "application/merge-patch+json");
                Assert.Equal(HttpStatusCode.OK, status);
            }
        }));
        var expected = (int)(f.Server.CurrentResourceVersion - rv);
        var events = await Conformance.WatchChecks.ReadAsync(f.Client, $"{Widgets}?watch=1&resourceVersion={rv}", expected, TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.Equal(expected, events.Count);
        var rvs = events.Select(e => Rv(e["object"]!)).ToList();
        Assert.Equal(rvs.Order(), rvs);
        Assert.Equal(rvs.Count, rvs.Distinct().Count());
    }
}
