using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Kube.Tests.Support;
using Microsoft.AspNetCore.Http;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Client;

public sealed class RetryTests
{
    private const string PodJson = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","namespace":"ns1"}}""";
    private const string Unavailable = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"unavailable","reason":"ServiceUnavailable","code":503}""";
    private const string Internal = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"boom","reason":"InternalError","code":500}""";

    [Fact]
    public async Task GetAsync_503Twice_RetriesWithGrowingJitteredBackoffThenSucceeds()
    {
        var calls = 0;
        await using var server = await FakeApiServer.StartAsync((c, _) =>
            Interlocked.Increment(ref calls) <= 2 ? FakeApiServer.Json(c, 503, Unavailable) : FakeApiServer.Json(c, 200, PodJson));
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);

        var pod = await client.GetAsync<V1Pod>("p1", "ns1", CancellationToken.None);

        Assert.Equal("p1", pod.Metadata.Name);
        Assert.Equal(3, server.All.Count);
        // Base 200 ms doubling, equal jitter with random = 0.5: 150 ms, then 300 ms.
        Assert.Equal([TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(300)], delays);
    }

    [Fact]
    public async Task ListAsync_AlwaysUnavailable_GivesUpAfterMaxAttempts()
    {
        await using var server = await FakeApiServer.StartAsync((c, _) => FakeApiServer.Json(c, 503, Unavailable));
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays, new KubeRetryPolicy { MaxAttempts = 3 });

        await Assert.ThrowsAsync<KubeServerErrorException>(() => client.ListAsync<V1Pod>("ns1", null, CancellationToken.None));

        Assert.Equal(3, server.All.Count);
        Assert.Equal(2, delays.Count);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Write_500_IsNeverRetried(string method)
    {
        await using var server = await FakeApiServer.StartAsync((c, _) => FakeApiServer.Json(c, 500, Internal));
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

        Assert.Single(server.All);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task CreateAsync_429WithRetryAfter_WaitsThatLongAndRetries()
    {
        var calls = 0;
        await using var server = await FakeApiServer.StartAsync((c, r) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                c.Response.Headers.RetryAfter = "2";
                return FakeApiServer.Json(c, 429, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}""");
            }

            return FakeApiServer.Json(c, 201, r.Body);
        });
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);

        await client.CreateAsync(KubernetesJson.Deserialize<V1Pod>(PodJson), CancellationToken.None);

        Assert.Equal(2, server.All.Count);
        Assert.Equal([TimeSpan.FromSeconds(2)], delays);
        Assert.Equal(server.All[0].Body, server.All[1].Body);
    }

    [Fact]
    public async Task GetAsync_429WithRetryAfterBeyondLimit_IsNotWaitedFor()
    {
        await using var server = await FakeApiServer.StartAsync((c, _) =>
        {
            c.Response.Headers.RetryAfter = "120";
            return FakeApiServer.Json(c, 429, """{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"TooManyRequests","code":429}""");
        });
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);

        var error = await Assert.ThrowsAsync<KubeTooManyRequestsException>(() => client.GetAsync<V1Pod>("p1", "ns1", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(server.All);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task GetAsync_ConnectionDroppedMidAnswer_IsRetried()
    {
        var calls = 0;
        await using var server = await FakeApiServer.StartAsync((c, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                c.Abort();
                return Task.CompletedTask;
            }

            return FakeApiServer.Json(c, 200, PodJson);
        });
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);

        var pod = await client.GetAsync<V1Pod>("p1", "ns1", CancellationToken.None);

        Assert.Equal("p1", pod.Metadata.Name);
        Assert.Equal(2, server.All.Count);
        Assert.Single(delays);
    }

    [Fact]
    public async Task CreateAsync_ConnectionDroppedAfterSending_IsNotRetried()
    {
        await using var server = await FakeApiServer.StartAsync((c, _) =>
        {
            c.Abort();
            return Task.CompletedTask;
        });
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.CreateAsync(KubernetesJson.Deserialize<V1Pod>(PodJson), CancellationToken.None));

        Assert.Single(server.All);
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
        await using var server = await FakeApiServer.StartAsync((c, _) => Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(new KubeClientSettings { Host = server.Address, RequestTimeout = TimeSpan.FromMilliseconds(300) }, delays);

        await Assert.ThrowsAsync<TimeoutException>(() => client.CreateAsync(KubernetesJson.Deserialize<V1Pod>(PodJson), CancellationToken.None));

        Assert.Single(server.All);
        Assert.Empty(delays);
    }

    [Fact]
    public async Task Read_NoAnswerWithinRequestTimeout_IsRetriedThenThrowsTimeout()
    {
        await using var server = await FakeApiServer.StartAsync((c, _) => Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(new KubeClientSettings { Host = server.Address, RequestTimeout = TimeSpan.FromMilliseconds(300) }, delays, new KubeRetryPolicy { MaxAttempts = 2 });

        await Assert.ThrowsAsync<TimeoutException>(() => client.GetAsync<V1Pod>("p1", "ns1", CancellationToken.None));

        Assert.Equal(2, server.All.Count);
        Assert.Single(delays);
    }

    [Fact]
    public async Task Read_CallerCancels_ThrowsOperationCanceledWithoutRetry()
    {
        var seen = new TaskCompletionSource();
        await using var server = await FakeApiServer.StartAsync(async (c, _) =>
        {
            seen.TrySetResult();
            await Task.Delay(Timeout.Infinite, c.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        var delays = new ConcurrentQueue<TimeSpan>();
        using var client = TestClient.For(server, delays);
        using var cancel = new CancellationTokenSource();

        var get = client.GetAsync<V1Pod>("p1", "ns1", cancel.Token);
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(20));
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

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
