using System.Net;
using DesktopOperator.Kube.Client;
using DesktopOperator.Kube.Config;
using DesktopOperator.Testing.ApiServer;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace DesktopOperator.Kube.Tests.Package;

/// <summary>The package's typed verbs on our settings and pipeline, against the test API server.</summary>
public sealed class KubernetesFactoryTests : IAsyncLifetime
{
    private static readonly KubeRetryPolicy FastRetries = new() { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) };

    private readonly TestApiServer _server = new(new TestApiServerOptions { BearerToken = "factory-token" });
    private Kubernetes _kube = null!;

    public async Task InitializeAsync()
    {
        await _server.StartAsync();
        _kube = KubernetesFactory.Create(new KubeClientSettings { Host = _server.BaseAddress, AccessToken = "factory-token" }, retryPolicy: FastRetries);
    }

    public async Task DisposeAsync()
    {
        _kube.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task CoordinationV1_CreateReadMergePatch_RoundTripsALease()
    {
        var created = await _kube.CoordinationV1.CreateNamespacedLeaseAsync(
            new V1Lease { ApiVersion = "coordination.k8s.io/v1", Kind = "Lease", Metadata = new V1ObjectMeta { Name = "l1" }, Spec = new V1LeaseSpec { HolderIdentity = "a" } }, "default");
        var patch = new V1Patch(
            $$$"""{"metadata":{"resourceVersion":"{{{created.Metadata.ResourceVersion}}}"},"spec":{"holderIdentity":"b"}}""",
            V1Patch.PatchType.MergePatch);

        await _kube.CoordinationV1.PatchNamespacedLeaseAsync(patch, "l1", "default");
        var read = await _kube.CoordinationV1.ReadNamespacedLeaseAsync("l1", "default");

        Assert.Equal("b", read.Spec.HolderIdentity);
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => _kube.CoordinationV1.PatchNamespacedLeaseAsync(patch, "l1", "default"));
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);
    }

    [Fact]
    public async Task CoreV1_ServerSideApplyWithFieldManagerAndForce_ThenJsonPatchAndStatusSubresource()
    {
        const string Manifest = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","labels":{"app":"x"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}""";
        var applied = await _kube.CoreV1.PatchNamespacedPodAsync(
            new V1Patch(Manifest, V1Patch.PatchType.ApplyPatch), "p1", "default", fieldManager: "desktop-operator", force: true);
        Assert.Contains(applied.Metadata.ManagedFields, f => f.Manager == "desktop-operator" && f.Operation == "Apply");

        await _kube.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("""[{"op":"add","path":"/metadata/labels/tier","value":"desk"}]""", V1Patch.PatchType.JsonPatch), "p1", "default");
        await _kube.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("""{"status":{"message":"from the status subresource"}}""", V1Patch.PatchType.MergePatch), "p1", "default");

        var pod = await _kube.CoreV1.ReadNamespacedPodAsync("p1", "default");
        Assert.Equal("desk", pod.Metadata.Labels["tier"]);
        Assert.Equal("from the status subresource", pod.Status.Message);
    }

    [Fact]
    public async Task Reads_RetriedOn5xx_WritesNot()
    {
        await _kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "cm" } }, "default");

        _server.Faults.FailNext(2, 500, match: (method, _) => method == "GET");
        var read = await _kube.CoreV1.ReadNamespacedConfigMapAsync("cm", "default");
        Assert.Equal("cm", read.Metadata.Name);

        _server.Faults.FailNext(1, 500, match: (method, _) => method == "POST");
        var refused = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "cm2" } }, "default"));
        Assert.Equal(HttpStatusCode.InternalServerError, refused.Response.StatusCode);
        Assert.Equal(3, _server.Faults.InjectedFailures);
    }

    [Fact]
    public async Task Requests_CarryOurUserAgentAndToken_AWrongTokenIs401()
    {
        using var wrong = KubernetesFactory.Create(new KubeClientSettings { Host = _server.BaseAddress, AccessToken = "wrong" }, retryPolicy: FastRetries);

        var denied = await Assert.ThrowsAsync<HttpOperationException>(() => wrong.CoreV1.ListNamespacedPodAsync("default"));

        Assert.Equal(HttpStatusCode.Unauthorized, denied.Response.StatusCode);
        Assert.StartsWith("desktop-operator/", _kube.HttpClient.DefaultRequestHeaders.UserAgent.ToString(), StringComparison.Ordinal);
    }
}
