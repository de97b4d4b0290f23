using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Errors;

/// <summary>
/// Our client's error mapping on the exact answers of a real kube-apiserver (bodies from the golden transcripts) and of
/// what may stand in front of one (empty bodies), each sent by the test API server as a scripted answer.
/// </summary>
public sealed class KubeApiErrorMappingTests
{
    private static readonly KubeRetryPolicy NoRetries = new() { MaxAttempts = 1 };

    public static TheoryData<string, string, Type, int, string> RecordedErrors => new()
    {
        { "03-create-get.json", "GET a missing widget", typeof(KubeNotFoundException), 404, "NotFound" },
        { "03-create-get.json", "POST the same name again", typeof(KubeAlreadyExistsException), 409, "AlreadyExists" },
        { "04-update-conflict.json", "PUT with a stale resourceVersion", typeof(KubeConflictException), 409, "Conflict" },
        { "07-patches.json", "(conflict)", typeof(KubeConflictException), 409, "Conflict" },
        { "06-validation.json", "several violations at once", typeof(KubeInvalidException), 422, "Invalid" },
        { "09-watch.json", "resourceVersionMatch=Exact (read from etcd)", typeof(KubeGoneException), 410, "Expired" },
        { "09-watch.json", "far in the future (NotOlderThan)", typeof(KubeServerErrorException), 504, "Timeout" },
        { "14-errors-misc.json", "invalid bearer token", typeof(KubeUnauthorizedException), 401, "Unauthorized" },
        { "14-errors-misc.json", "no credentials at all", typeof(KubeForbiddenException), 403, "Forbidden" },
        { "14-errors-misc.json", "malformed query parameter", typeof(KubeBadRequestException), 400, "BadRequest" },
        { "14-errors-misc.json", "unknown core resource", typeof(KubeNotFoundException), 404, "NotFound" },
        { "07-patches.json", "strategic merge patch on a custom resource", typeof(KubeApiException), 415, "UnsupportedMediaType" },
    };

    [Theory]
    [MemberData(nameof(RecordedErrors))]
    public async Task GetAsync_RecordedStatusBody_ThrowsTypedExceptionCarryingTheStatus(string file, string step, Type expected, int code, string reason)
    {
        var exchange = Reference.Exchange(file, step);
        var status = exchange["response"]!["status"]!.GetValue<int>();
        var body = exchange["response"]!["body"]!.ToJsonString();
        await using var server = await StartAsync(new ScriptedResponse(status, body));
        using var client = TestClient.For(server, policy: NoRetries);

        var error = await Assert.ThrowsAnyAsync<KubeApiException>(() => client.GetAsync<V1Pod>("x", "ns", CancellationToken.None));

        Assert.Equal(expected, error.GetType());
        Assert.Equal(code, error.StatusCode);
        Assert.Equal(reason, error.Reason);
        Assert.NotNull(error.Status);
        Assert.Equal(exchange["response"]!["body"]!["message"]!.GetValue<string>(), error.Message);
    }

    [Fact]
    public async Task GetAsync_InvalidWithCauses_ExposesEveryFieldCause()
    {
        var body = Reference.ResponseBody("06-validation.json", "several violations at once");
        await using var server = await StartAsync(new ScriptedResponse(422, body));
        using var client = TestClient.For(server, policy: NoRetries);

        var error = await Assert.ThrowsAsync<KubeInvalidException>(() => client.GetAsync<V1Pod>("x", "ns", CancellationToken.None));

        Assert.Contains(error.Causes, c => c is { Field: "spec.size", Reason: "FieldValueNotSupported" });
        Assert.Contains(error.Causes, c => c is { Field: "spec.replicas" });
        Assert.True(error.Causes.Count >= 4);
    }

    [Fact]
    public async Task PatchAsync_ApplyConflict_ExposesFieldManagerConflictCauses()
    {
        var body = Reference.ResponseBody("07-patches.json", "(conflict)");
        await using var server = await StartAsync(new ScriptedResponse(409, body));
        using var client = TestClient.For(server, policy: NoRetries);

        var error = await Assert.ThrowsAsync<KubeConflictException>(() =>
            client.PatchAsync<V1Pod>("x", "ns", new V1Patch("{}", V1Patch.PatchType.ApplyPatch), new PatchOptions { FieldManager = "b" }, null, CancellationToken.None));

        Assert.Equal([".spec.color", ".spec.replicas"], error.Status!.Details!.Causes!.Select(c => c.Field));
    }

    [Theory]
    [InlineData("01-discovery.json", "unknown group-version")]
    [InlineData("14-errors-misc.json", "unknown resource in a known group-version")]
    public async Task GetAsync_PlainText404_ThrowsNotFoundWithSynthesizedStatus(string file, string step)
    {
        var exchange = Reference.Exchange(file, step);
        var text = exchange["response"]!["body"]!.GetValue<string>();
        await using var server = await StartAsync(new ScriptedResponse(404, text, "text/plain; charset=utf-8"));
        using var client = TestClient.For(server, policy: NoRetries);

        var error = await Assert.ThrowsAsync<KubeNotFoundException>(() => client.GetAsync<V1Pod>("x", "ns", CancellationToken.None));

        Assert.Equal(404, error.StatusCode);
        Assert.Equal("NotFound", error.Reason);
        Assert.Equal("404 page not found", error.Message);
        Assert.Equal(404, error.Status!.Code);
    }

    [Theory]
    [InlineData(500, "InternalError")]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(409, "Conflict")]
    [InlineData(410, "Gone")]
    public async Task GetAsync_EmptyBody_ReasonComesFromTheHttpCode(int code, string reason)
    {
        await using var server = await StartAsync(new ScriptedResponse(code, ContentType: null));
        using var client = TestClient.For(server, policy: NoRetries);

        var error = await Assert.ThrowsAnyAsync<KubeApiException>(() => client.GetAsync<V1Pod>("x", "ns", CancellationToken.None));

        Assert.Equal(code, error.StatusCode);
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public async Task GetAsync_429WithRetryAfterHeader_CarriesRetryAfter()
    {
        await using var server = await StartAsync(
            new ScriptedResponse(429, """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too many requests","reason":"TooManyRequests","code":429}""")
            {
                Headers = new Dictionary<string, string> { ["Retry-After"] = "7" },
            });
        using var client = TestClient.For(server, policy: NoRetries);

        var error = await Assert.ThrowsAsync<KubeTooManyRequestsException>(() => client.GetAsync<V1Pod>("x", "ns", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
    }

    [Fact]
    public async Task GetAsync_429WithRetryAfterSecondsInStatus_CarriesRetryAfter()
    {
        await using var server = await StartAsync(new ScriptedResponse(429,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","details":{"retryAfterSeconds":3},"code":429}"""));
        using var client = TestClient.For(server, policy: NoRetries);

        var error = await Assert.ThrowsAsync<KubeTooManyRequestsException>(() => client.GetAsync<V1Pod>("x", "ns", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }

    private static async Task<TestApiServer> StartAsync(ScriptedResponse answer)
    {
        var server = await TestApiServer.StartNewAsync();
        server.Faults.RespondNext(1, answer);
        return server;
    }
}
