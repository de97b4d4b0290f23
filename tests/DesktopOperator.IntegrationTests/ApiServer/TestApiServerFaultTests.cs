using System.Net;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Time;
using DesktopOperator.Testing.Waiting;
using static DesktopOperator.IntegrationTests.Conformance.KubeJson;

namespace DesktopOperator.IntegrationTests.ApiServer;

public sealed class TestApiServerFaultTests
{
    private const string Widgets = "apis/example.test/v1/namespaces/t/widgets";

    [Fact]
    public async Task FailNext_429_AnswersWithRetryAfterThenRecovers()
    {
        await using var f = await ServerFixture.StartAsync();
        f.Server.Faults.FailNext(2, 429, TimeSpan.FromSeconds(3));
        for (var i = 0; i < 2; i++)
        {
            using var failed = await f.Client.GetAsync(Widgets);
            Assert.Equal(HttpStatusCode.TooManyRequests, failed.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), failed.Headers.RetryAfter!.Delta);
        }

        using var ok = await f.Client.GetAsync(Widgets);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(2, f.Server.Faults.InjectedFailures);
    }

    [Fact]
    public async Task FailFraction_OnlyMatchingRequests_Get500()
    {
        await using var f = await ServerFixture.StartAsync();
        f.Server.Faults.FailFraction(1.0, 500, match: (method, _) => method == "POST");
        var (status, body) = await SendAsync(f.Client, HttpMethod.Post, Widgets, Widget("a"), CancellationToken.None);
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("InternalError", body["reason"]!.ToString());
        using var get = await f.Client.GetAsync(Widgets);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task Latency_RequestWaitsForTheServerClock()
    {
        var clock = new ManualTimeProvider();
        await using var f = await ServerFixture.StartOnClockAsync(clock);
        f.Server.Faults.Latency = TimeSpan.FromSeconds(5);
        var request = f.Client.GetAsync(Widgets);
        await Eventually.TrueAsync(() => Task.FromResult(clock.ActiveTimers > 0), "the delay is armed", CancellationToken.None);
        Assert.False(request.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(5));
        using var response = await request;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DropWatches_OpenStream_BreaksInsteadOfEndingCleanly()
    {
        await using var f = await ServerFixture.StartAsync();
        using var response = await f.Client.GetAsync($"{Widgets}?watch=1&resourceVersion=0", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var read = reader.ReadLineAsync();
        f.Server.Faults.DropWatches();
        await Assert.ThrowsAnyAsync<IOException>(async () => await read);
    }

    [Fact]
    public async Task Outage_ServiceUnavailable_ThenCleared()
    {
        await using var f = await ServerFixture.StartAsync();
        f.Server.Faults.StartOutage();
        using (var during = await f.Client.GetAsync(Widgets))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        }

        f.Server.Faults.EndOutage();
        using var after = await f.Client.GetAsync(Widgets);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Outage_RefuseConnections_RequestsFail()
    {
        await using var f = await ServerFixture.StartAsync();
        f.Server.Faults.StartOutage(OutageMode.RefuseConnections);
        await Assert.ThrowsAsync<HttpRequestException>(() => f.Client.GetAsync(Widgets));
        f.Server.Faults.EndOutage();
        using var after = await f.Client.GetAsync(Widgets);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task BearerToken_WrongIs401_MissingIs403()
    {
        await using var f = await ServerFixture.StartAsync(o => o.BearerToken = "secret");
        using var anonymous = new HttpClient { BaseAddress = f.Server.BaseAddress };
        using var none = await anonymous.GetAsync(Widgets);
        Assert.Equal(HttpStatusCode.Forbidden, none.StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");
        using var wrong = await anonymous.GetAsync(Widgets);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var ok = await f.Client.GetAsync(Widgets);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task RespondNext_AnswersAsWrittenThenServesAgain_RecordingEachRequestWithItsBody()
    {
        await using var f = await ServerFixture.StartAsync();
        f.Server.Faults.RespondNext(1, new ScriptedResponse(418, "short and stout", "text/plain") { Headers = new Dictionary<string, string> { ["X-Teapot"] = "yes" } });

        using var scripted = await f.Client.PostAsync(Widgets, new StringContent(Widget("a"), System.Text.Encoding.UTF8, "application/json"));
        using var served = await f.Client.PostAsync(Widgets, new StringContent(Widget("a"), System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)418, scripted.StatusCode);
        Assert.Equal("short and stout", await scripted.Content.ReadAsStringAsync());
        Assert.Equal("yes", scripted.Headers.GetValues("X-Teapot").Single());
        Assert.Equal(HttpStatusCode.Created, served.StatusCode);
        var requests = f.Server.Requests.Snapshot();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(Widget("a"), r.Body));
        Assert.All(requests, r => Assert.Equal("/" + Widgets, r.RawTarget));
    }

    [Fact]
    public async Task RespondNext_ConnectionReset_FailsTheRequestAfterRecordingIt()
    {
        await using var f = await ServerFixture.StartAsync();
        f.Server.Faults.RespondNext(1, ScriptedResponse.ConnectionReset);

        await Assert.ThrowsAsync<HttpRequestException>(() => f.Client.GetAsync(Widgets));
        using var after = await f.Client.GetAsync(Widgets);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(2, f.Server.Requests.Snapshot().Count);
    }
}
