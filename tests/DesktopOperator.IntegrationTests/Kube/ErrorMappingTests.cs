using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DesktopOperator.Api.V1Alpha1;
using DesktopOperator.Kube.Client;
using k8s;
using k8s.Models;

namespace DesktopOperator.IntegrationTests.Kube;

/// <summary>HTTP failures of the TestApiServer (some injected) as the typed client reports or retries them.</summary>
public sealed class ErrorMappingTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Errors_NotFoundExistsAndStale_MapToTypedExceptions()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var ns = cluster.Namespace;
        var first = await cluster.Client.CreateAsync(TypedVerbTests.Route(ns, "r1", "alice"), Ct);
        var second = await cluster.Client.GetAsync<SessionRoute>("r1", ns, Ct);
        first.Spec.Host = "h-1";
        await cluster.Client.ReplaceAsync(first, Ct);
        second.Spec.Host = "h-2";

        var notFound = await Assert.ThrowsAsync<KubeNotFoundException>(() => cluster.Client.GetAsync<SessionRoute>("missing", ns, Ct));
        var exists = await Assert.ThrowsAsync<KubeAlreadyExistsException>(() => cluster.Client.CreateAsync(TypedVerbTests.Route(ns, "r1", "alice"), Ct));
        var stale = await Assert.ThrowsAsync<KubeConflictException>(() => cluster.Client.ReplaceAsync(second, Ct));

        Assert.Equal(404, notFound.StatusCode);
        Assert.Equal("AlreadyExists", exists.Reason);
        Assert.Equal(409, stale.StatusCode);
        Assert.Equal("Conflict", stale.Reason);
    }

    [Fact]
    public async Task Create_BreakingTheCrdSchema_ThrowsInvalidWithFieldCauses()
    {
        await using var cluster = await KubeCluster.StartAsync();
        var route = TypedVerbTests.Route(cluster.Namespace, "r1", "alice");
        route.Spec.Pool = "Not_A_Name";

        var ex = await Assert.ThrowsAsync<KubeInvalidException>(() => cluster.Client.CreateAsync(route, Ct));

        Assert.Equal(422, ex.StatusCode);
        Assert.Contains(ex.Causes, c => c.Field == "spec.pool");
    }

    [Fact]
    public async Task Watch_FromACompactedVersion_ThrowsGone()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        var ns = cluster.Namespace;
        var list = await cluster.Client.ListAsync<V1Pod>(ns, null, Ct);
        await cluster.Client.CreateAsync(TypedVerbTests.Pod(ns, "p1", "x"), Ct);
        cluster.TestServer.CompactHistory();

        var ex = await Assert.ThrowsAsync<KubeGoneException>(async () =>
        {
            await foreach (var e in cluster.Client.WatchAsync<V1Pod>(ns, new WatchOptions { ResourceVersion = list.Metadata.ResourceVersion }, Ct))
            {
                Assert.Fail($"unexpected {e.Type} before the 410");
            }
        });

        Assert.Equal(410, ex.StatusCode);
    }

    [Fact]
    public async Task TooManyRequests_WithRetryAfter_IsRetriedEvenForAWrite()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        cluster.TestServer.Faults.FailNext(2, 429, TimeSpan.FromSeconds(1), (method, _) => method == "POST");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        var created = await cluster.Client.CreateAsync(TypedVerbTests.Route(cluster.Namespace, "r1", "alice"), Ct);
        var waited = System.Diagnostics.Stopwatch.GetElapsedTime(started);

        Assert.NotNull(created.Metadata.Uid);
        Assert.Equal(2, cluster.TestServer.Faults.InjectedFailures);
        Assert.True(waited >= TimeSpan.FromSeconds(1.9), $"Retry-After: 1 was not honoured twice (retried after {waited})"); // the client's own backoff is 20 ms here
    }

    [Fact]
    public async Task ServerError_OnARead_IsRetried()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        await cluster.Client.CreateAsync(TypedVerbTests.Route(cluster.Namespace, "r1", "alice"), Ct);
        cluster.TestServer.Faults.FailNext(2, 500, match: (method, _) => method == "GET");

        var route = await cluster.Client.GetAsync<SessionRoute>("r1", cluster.Namespace, Ct);

        Assert.Equal("alice", route.Spec.User);
        Assert.Equal(2, cluster.TestServer.Faults.InjectedFailures);
    }

    [Fact]
    public async Task ServerError_OnAWrite_IsNotRetried()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        cluster.TestServer.Faults.FailNext(1, 500, match: (method, _) => method == "POST");

        var ex = await Assert.ThrowsAsync<KubeServerErrorException>(() => cluster.Client.CreateAsync(TypedVerbTests.Route(cluster.Namespace, "r1", "alice"), Ct));
        var list = await cluster.Client.ListAsync<SessionRoute>(cluster.Namespace, null, Ct);

        Assert.Equal(500, ex.StatusCode);
        Assert.Equal(1, cluster.TestServer.Faults.InjectedFailures);
        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task ReadModifyWrite_KeepsFieldsTheModelDoesNotKnow()
    {
        await using var cluster = await KubeCluster.StartAsync(allowReal: false);
        var ns = cluster.Namespace;
        using var http = cluster.TestServer.CreateClient();
        var raw = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "p1" },
            ["spec"] = new JsonObject
            {
                ["hostname"] = "kept-host",
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = "busybox", ["workingDir"] = "/kept" }),
            },
        };
        (await http.PostAsJsonAsync(new Uri($"api/v1/namespaces/{ns}/pods", UriKind.Relative), raw)).EnsureSuccessStatusCode();

        var pod = await cluster.Client.GetAsync<V1Pod>("p1", ns, Ct);
        pod.Metadata.Labels = new Dictionary<string, string> { ["touched"] = "yes" };
        await cluster.Client.ReplaceAsync(pod, Ct);
        var after = await http.GetFromJsonAsync<JsonObject>(new Uri($"api/v1/namespaces/{ns}/pods/p1", UriKind.Relative));

        Assert.Equal("yes", after!["metadata"]!["labels"]!["touched"]!.GetValue<string>());
        Assert.Equal("kept-host", after["spec"]!["hostname"]!.GetValue<string>());
        Assert.Equal("/kept", after["spec"]!["containers"]![0]!["workingDir"]!.GetValue<string>());
    }
}
