using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Waiting;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Client;

public sealed class RetryTests
{
    private const string PodJson = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","namespace":"ns1"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""";
    private const string Unavailable = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"unavailable","reason":"ServiceUnavailable","code":503}""";
    private const string Internal = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"boom","reason":"InternalError","code":500}""";

    [Fact]
    public async Task GetAsync_503Twice_RetriesWithGrowingJitteredBackoffThenSucceeds()
    {
        await using var server = await StartWithPodAsync();
        server.Faults.RespondNext(2, new ScriptedResponse(503, Unavailable));
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);

        var pod = await client.GetAsync<V1Pod>("p1", "ns1", CancellationToken.None);

        Assert.Equal("p1", pod.Metadata.Name);
        Assert.Equal(3, Attempts(server));
        // Base 200 ms doubling, equal jitter with random = 0.5: 150 ms, then 300 ms.
        Assert.Equal([TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(300)], delays);
    }

    [Fact]
    public async Task ListAsync_AlwaysUnavailable_GivesUpAfterMaxAttempts()
    {
        await using var server = await StartAnsweringAsync(new ScriptedResponse(503, Unavailable));
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays, new KubeRetryPolicy { MaxAttempts = 3 });

        await Assert.ThrowsAsync<KubeServerErrorException>(() => client.ListAsync<V1Pod>("ns1", null, CancellationToken.None));

        Assert.Equal(3, Attempts(server));
        Assert.Equal(2, delays.Count);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Write_500_IsNeverRetried(string method)
    {
        await using var server = await StartAnsweringAsync(new ScriptedResponse(500, Internal));
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);
        var pod = KubernetesJson.Deserialize<V1Pod>(PodJson);

        Func<Task> write = method switch
        {
            "POST" => () => client.CreateAsync(pod, CancellationToken.None),
            "PUT" => () => client.ReplaceAsync(pod, CancellationToken.None),
            "PATCH" => () => client.PatchAsync<V1Pod>("p1", "ns1", new V1Patch("{}", V1Patch.PatchType.MergePatch), null, null, CancellationToken.None),
            _ => () => client.DeleteAsync<V1Pod>("p1", "ns1", null, CancellationToken.None),
        };
        await Assert.ThrowsAsync<KubeServerErrorException>(write);

        Assert.Equal(1, Attempts(server));
        Assert.Empty(delays);
    }

    [Fact]
    public async Task CreateAsync_429WithRetryAfter_WaitsThatLongAndRetries()
    {
        await using var server = await TestApiServer.StartNewAsync(o => o.Namespaces.Add("ns1"));
        server.Faults.RespondNext(1, TooManyRequests(retryAfterSeconds: 2));
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);

        await client.CreateAsync(KubernetesJson.Deserialize<V1Pod>(PodJson), CancellationToken.None);

        Assert.Equal(2, Attempts(server));
        Assert.Equal([TimeSpan.FromSeconds(2)], delays);
        // The retry sent the whole body again: the server created the pod from it.
        Assert.Equal("busybox", (await client.GetAsync<V1Pod>("p1", "ns1", CancellationToken.None)).Spec.Containers[0].Image);
    }

    [Fact]
    public async Task GetAsync_429WithRetryAfterBeyondLimit_IsNotWaitedFor()
    {
        await using var server = await StartAnsweringAsync(TooManyRequests(retryAfterSeconds: 120));
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);

        var error = await Assert.ThrowsAsync<KubeTooManyRequestsException>(() => client.GetAsync<V1Pod>("p1", "ns1", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Equal(1, Attempts(server));
        Assert.Empty(delays);
    }

    [Fact]
    public async Task GetAsync_ConnectionDroppedMidAnswer_IsRetried()
    {
        await using var server = await StartWithPodAsync();
        server.Faults.RespondNext(1, ScriptedResponse.ConnectionReset);
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);

        var pod = await client.GetAsync<V1Pod>("p1", "ns1", CancellationToken.None);

        Assert.Equal("p1", pod.Metadata.Name);
        Assert.Equal(2, Attempts(server));
        Assert.Single(delays);
    }

    [Fact]
    public async Task CreateAsync_ConnectionDroppedAfterSending_IsNotRetried()
    {
        await using var server = await StartAnsweringAsync(ScriptedResponse.ConnectionReset);
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.CreateAsync(KubernetesJson.Deserialize<V1Pod>(PodJson), CancellationToken.None));

        Assert.Equal(1, Attempts(server));
        Assert.Empty(delays);
    }

    [Fact]
    public async Task CreateAsync_ConnectionRefused_IsRetriedBecauseNothingWasSent()
    {
        var port = UnusedPort();
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(new KubeClientSettings { Host = new Uri($"http://127.0.0.1:{port}") }, delays, new KubeRetryPolicy { MaxAttempts = 3 });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.CreateAsync(KubernetesJson.Deserialize<V1Pod>(PodJson), CancellationToken.None));

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal(2, delays.Count);
    }

    [Fact]
    public async Task Write_NoAnswerWithinRequestTimeout_ThrowsTimeoutWithoutRetry()
    {
        await using var server = await StartAnsweringAsync(ScriptedResponse.NoAnswer);
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(new KubeClientSettings { Host = server.BaseAddress, AccessToken = "test-token", RequestTimeout = TimeSpan.FromSeconds(1) }, delays);

        await Assert.ThrowsAsync<TimeoutException>(() => client.CreateAsync(KubernetesJson.Deserialize<V1Pod>(PodJson), CancellationToken.None));

        Assert.Equal(1, Attempts(server));
        Assert.Empty(delays);
    }

    [Fact]
    public async Task Read_NoAnswerWithinRequestTimeout_IsRetriedThenThrowsTimeout()
    {
        await using var server = await StartAnsweringAsync(ScriptedResponse.NoAnswer);
        var delays = new ConcurrentQueue<TimeSpan>();
        // A request timeout long enough for a busy machine to carry each attempt to the server (CI saw the second
        // one time out before the server logged it with 300 ms).
        using var client = TestClient.For(new KubeClientSettings { Host = server.BaseAddress, AccessToken = "test-token", RequestTimeout = TimeSpan.FromSeconds(1) }, delays, new KubeRetryPolicy { MaxAttempts = 2 });

        await Assert.ThrowsAsync<TimeoutException>(() => client.GetAsync<V1Pod>("p1", "ns1", CancellationToken.None));

        Assert.Equal(2, Attempts(server));
        Assert.Single(delays);
    }

    [Fact]
    public async Task Read_CallerCancels_ThrowsOperationCanceledWithoutRetry()
    {
        await using var server = await StartAnsweringAsync(ScriptedResponse.NoAnswer);
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);
        using var cancel = new CancellationTokenSource();

        var get = client.GetAsync<V1Pod>("p1", "ns1", cancel.Token);
        await Eventually.WaitAsync(() => Attempts(server) == 1, "the server holds the request");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
        Assert.Empty(delays);
    }

    [Theory]
    [InlineData(1, 0.0, 100)]
    [InlineData(1, 1.0, 200)]
    [InlineData(3, 0.5, 600)]
    [InlineData(10, 1.0, 5000)]
    [InlineData(40, 0.0, 2500)]
    public void Backoff_DoublesWithEqualJitterAndCap(int retry, double random, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), KubeRetryPolicy.Default.Backoff(retry, random));
    }

    /// <summary>Every attempt of the test's client the server saw (answered from the script or served).</summary>
    private static int Attempts(TestApiServer server) => server.Requests.Count(r => r.Authorization == "Bearer test-token");

    private static ScriptedResponse TooManyRequests(int retryAfterSeconds) =>
        new(429, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}""")
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        };

    /// <summary>A server holding pod <c>ns1/p1</c>, created without the test client's token (so not among its attempts).</summary>
    private static async Task<TestApiServer> StartWithPodAsync()
    {
        var server = await TestApiServer.StartNewAsync(o => o.Namespaces.Add("ns1"));
        using var http = server.CreateClient();
        using var created = await http.PostAsync(new Uri("api/v1/namespaces/ns1/pods", UriKind.Relative), new StringContent(PodJson, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return server;
    }

    /// <summary>A server answering every request with <paramref name="answer"/>.</summary>
    private static async Task<TestApiServer> StartAnsweringAsync(ScriptedResponse answer)
    {
        var server = await TestApiServer.StartNewAsync();
        server.Faults.RespondNext(int.MaxValue, answer);
        return server;
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
