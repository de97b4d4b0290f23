using System.Text.Json;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Tests.Support;
using DesktopOperator.Testing.ApiServer;
using k8s;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Client;

/// <summary>
/// What each verb puts on the wire (method, raw target, headers, body), recorded by the test API server; the answers
/// are scripted (<see cref="FaultInjection.RespondNext"/>) where the test is about the request alone.
/// </summary>
public sealed class KubernetesClientVerbTests
{
    private const string PodJson = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","namespace":"ns1","resourceVersion":"7"},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""";

    [Fact]
    public async Task GetAsync_CoreNamespacedKind_GetsApiV1PathWithUserAgentAndToken()
    {
        await using var server = await StartAnsweringAsync(200, PodJson);
        using var client = TestClient.For(server);

        var pod = await client.GetAsync<V1Pod>("p1", "ns1", CancellationToken.None);

        Assert.Equal("p1", pod.Metadata.Name);
        Assert.Equal("busybox", pod.Spec!.Containers[0].Image);
        var request = Assert.Single(server.Requests.Snapshot());
        Assert.Equal("GET", request.Method);
        Assert.Equal("/api/v1/namespaces/ns1/pods/p1", request.RawTarget);
        Assert.Equal("Bearer test-token", request.Authorization);
        Assert.StartsWith("desktop-operator/", request.UserAgent, StringComparison.Ordinal);
        Assert.Equal(KubernetesClient.UserAgent, request.UserAgent);
        Assert.Equal("application/json", request.Accept);
    }

    [Fact]
    public async Task GetAsync_GroupKindAndClusterScopedKind_BuildApisAndClusterPaths()
    {
        await using var server = await StartAnsweringAsync(200, """{"metadata":{"name":"l"}}""");
        using var client = TestClient.For(server);

        await client.GetAsync<V1Lease>("leader", "kube-system", CancellationToken.None);
        await client.GetAsync<V1Namespace>("ns1", "ignored-for-cluster-kinds", CancellationToken.None);

        Assert.Equal(
            ["/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/leader", "/api/v1/namespaces/ns1"],
            server.Requests.Snapshot().Select(r => r.RawTarget));
    }

    [Fact]
    public async Task GetAsync_NamespacedKindWithoutNamespace_ThrowsArgumentException()
    {
        await using var server = await StartAnsweringAsync(200, PodJson);
        using var client = TestClient.For(server);

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetAsync<V1Pod>("p1", null, CancellationToken.None));
        Assert.Empty(server.Requests.Snapshot());
    }

    [Fact]
    public async Task GetAsync_NameWithReservedCharacters_IsEscaped()
    {
        await using var server = await StartAnsweringAsync(200, PodJson);
        using var client = TestClient.For(server);

        await client.GetAsync<Corev1Event>("w1.17a0 x", "ns1", CancellationToken.None);

        Assert.Equal("/api/v1/namespaces/ns1/events/w1.17a0%20x", server.Requests.Snapshot()[0].RawTarget);
    }

    [Fact]
    public async Task ListAsync_WithOptions_SendsEveryQueryParameterAndReadsListMeta()
    {
        var list = """{"apiVersion":"v1","kind":"PodList","metadata":{"resourceVersion":"42","continue":"abc","remainingItemCount":3},"items":[""" + PodJson + "]}";
        await using var server = await StartAnsweringAsync(200, list);
        using var client = TestClient.For(server);

        var result = await client.ListAsync<V1Pod>("ns1", new ListOptions
        {
            LabelSelector = "app in (a,b),tier!=x",
            FieldSelector = "status.phase=Running",
            Limit = 2,
            Continue = "tok=",
            ResourceVersion = "5",
            ResourceVersionMatch = "NotOlderThan",
        }, CancellationToken.None);

        Assert.Equal("42", result.Metadata.ResourceVersion);
        Assert.Equal("abc", result.Metadata.ContinueProperty);
        Assert.Equal(3, result.Metadata.RemainingItemCount);
        Assert.Equal("p1", Assert.Single(result.Items).Metadata.Name);
        Assert.Equal(
            "/api/v1/namespaces/ns1/pods?labelSelector=app%20in%20%28a%2Cb%29%2Ctier%21%3Dx&fieldSelector=status.phase%3DRunning&limit=2&continue=tok%3D&resourceVersion=5&resourceVersionMatch=NotOlderThan",
            server.Requests.Snapshot()[0].RawTarget);
    }

    [Fact]
    public async Task ListAsync_NullNamespace_ListsAcrossAllNamespaces()
    {
        await using var server = await StartAnsweringAsync(200, """{"metadata":{},"items":[]}""");
        using var client = TestClient.For(server);

        var result = await client.ListAsync<V1Pod>(null, null, CancellationToken.None);

        Assert.Empty(result.Items);
        Assert.Equal("/api/v1/pods", server.Requests.Snapshot()[0].RawTarget);
    }

    [Fact]
    public async Task CreateAsync_FillsApiVersionAndKind_PostsJsonToCollection()
    {
        await using var server = await TestApiServer.StartNewAsync(o => o.Namespaces.Add("ns1")); // a real create: the Lease comes back as stored
        using var client = TestClient.For(server);
        var lease = new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "leader", NamespaceProperty = "ns1" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", RenewTime = new DateTime(2024, 1, 1, 0, 0, 20, DateTimeKind.Utc) },
        };

        var created = await client.CreateAsync(lease, CancellationToken.None);

        var request = server.Requests.Snapshot()[0];
        Assert.Equal("POST", request.Method);
        Assert.Equal("/apis/coordination.k8s.io/v1/namespaces/ns1/leases", request.RawTarget);
        Assert.Equal("application/json", request.ContentType);
        using var body = JsonDocument.Parse(request.Body!);
        Assert.Equal("coordination.k8s.io/v1", body.RootElement.GetProperty("apiVersion").GetString());
        Assert.Equal("Lease", body.RootElement.GetProperty("kind").GetString());
        Assert.Equal("2024-01-01T00:00:20.000000Z", body.RootElement.GetProperty("spec").GetProperty("renewTime").GetString());
        Assert.Equal("a", created.Spec!.HolderIdentity);
    }

    [Fact]
    public async Task ReplaceAsync_And_ReplaceStatusAsync_PutToObjectAndStatusPaths()
    {
        await using var server = await StartAnsweringAsync(200, PodJson);
        using var client = TestClient.For(server);
        var pod = KubernetesJson.Deserialize<V1Pod>(PodJson);

        await client.ReplaceAsync(pod, CancellationToken.None);
        await client.ReplaceStatusAsync(pod, CancellationToken.None);

        Assert.Equal(["PUT", "PUT"], server.Requests.Snapshot().Select(r => r.Method));
        Assert.Equal(["/api/v1/namespaces/ns1/pods/p1", "/api/v1/namespaces/ns1/pods/p1/status"], server.Requests.Snapshot().Select(r => r.RawTarget));
        Assert.All(server.Requests.Snapshot(), r => Assert.Equal("7", JsonDocument.Parse(r.Body!).RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()));
    }

    [Theory]
    [InlineData(V1Patch.PatchType.MergePatch, "application/merge-patch+json")]
    [InlineData(V1Patch.PatchType.JsonPatch, "application/json-patch+json")]
    [InlineData(V1Patch.PatchType.ApplyPatch, "application/apply-patch+yaml")]
    [InlineData(V1Patch.PatchType.StrategicMergePatch, "application/strategic-merge-patch+json")]
    public async Task PatchAsync_EachPatchType_SendsItsContentTypeAndBodyVerbatim(V1Patch.PatchType type, string contentType)
    {
        await using var server = await StartAnsweringAsync(200, PodJson);
        using var client = TestClient.For(server);
        const string patch = """{"metadata":{"labels":{"a":"b"}}}""";

        await client.PatchAsync<V1Pod>("p1", "ns1", new V1Patch(patch, type), null, null, CancellationToken.None);

        var request = server.Requests.Snapshot()[0];
        Assert.Equal("PATCH", request.Method);
        Assert.Equal(contentType, request.ContentType);
        Assert.Equal(patch, request.Body);
        Assert.Equal("/api/v1/namespaces/ns1/pods/p1", request.RawTarget);
    }

    [Fact]
    public async Task PatchAsync_ServerSideApplyWithForceOnStatus_SendsFieldManagerForceAndSubresource()
    {
        await using var server = await StartAnsweringAsync(200, PodJson);
        using var client = TestClient.For(server);

        await client.PatchAsync<V1Pod>("p1", "ns1", new V1Patch("{}", V1Patch.PatchType.ApplyPatch),
            new PatchOptions { FieldManager = "desktop-operator", Force = true }, "status", CancellationToken.None);

        Assert.Equal("/api/v1/namespaces/ns1/pods/p1/status?fieldManager=desktop-operator&force=true", server.Requests.Snapshot()[0].RawTarget);
    }

    [Fact]
    public async Task DeleteAsync_WithOptions_SendsDeleteOptionsBodyAndReturnsKeptObject()
    {
        await using var server = await StartAnsweringAsync(200, PodJson);
        using var client = TestClient.For(server);

        var kept = await client.DeleteAsync<V1Pod>("p1", "ns1", new DeleteOptions
        {
            PropagationPolicy = "Foreground",
            GracePeriodSeconds = 0,
            PreconditionUid = "u-1",
            PreconditionResourceVersion = "7",
        }, CancellationToken.None);

        Assert.Equal("p1", kept!.Metadata.Name);
        var request = server.Requests.Snapshot()[0];
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("/api/v1/namespaces/ns1/pods/p1", request.RawTarget);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal(
            """{"apiVersion":"v1","kind":"DeleteOptions","propagationPolicy":"Foreground","gracePeriodSeconds":0,"preconditions":{"uid":"u-1","resourceVersion":"7"}}""",
            request.Body);
    }

    [Fact]
    public async Task DeleteAsync_ServerAnswersSuccessStatus_ReturnsNullAndSendsNoBody()
    {
        var success = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"p1","kind":"pods","uid":"u"}}""";
        await using var server = await StartAnsweringAsync(200, success);
        using var client = TestClient.For(server);

        var result = await client.DeleteAsync<V1Pod>("p1", "ns1", null, CancellationToken.None);

        Assert.Null(result);
        Assert.Equal("", server.Requests.Snapshot()[0].Body);
        Assert.Null(server.Requests.Snapshot()[0].ContentType);
    }

    [Fact]
    public async Task Host_WithPathPrefix_KeepsThePrefix()
    {
        await using var server = await StartAnsweringAsync(200, PodJson);
        using var client = TestClient.For(new Kube.Config.KubeClientSettings { Host = new Uri(server.BaseAddress, "/k8s/clusters/c1/") });

        await client.GetAsync<V1Pod>("p1", "ns1", CancellationToken.None);

        Assert.Equal("/k8s/clusters/c1/api/v1/namespaces/ns1/pods/p1", server.Requests.Snapshot()[0].RawTarget);
        Assert.Null(server.Requests.Snapshot()[0].Authorization);
    }

    /// <summary>A server answering every request with <paramref name="body"/> (the request is recorded, not handled).</summary>
    private static async Task<TestApiServer> StartAnsweringAsync(int status, string body)
    {
        var server = await TestApiServer.StartNewAsync();
        server.Faults.RespondNext(int.MaxValue, new ScriptedResponse(status, body));
        return server;
    }
}
