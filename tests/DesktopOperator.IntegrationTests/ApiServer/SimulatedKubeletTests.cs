using System.Text.Json.Nodes;
using DesktopOperator.IntegrationTests.Conformance;
using DesktopOperator.Testing.Kubelet;
using DesktopOperator.Testing.Waiting;
using static DesktopOperator.IntegrationTests.Conformance.KubeJson;

namespace DesktopOperator.IntegrationTests.ApiServer;

public sealed class SimulatedKubeletTests
{
    private const string Pods = "api/v1/namespaces/t/pods";

    private static string Pod(string name, string? labels = null) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"" + (labels is null ? "" : ",\"labels\":" + labels)
        + "},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}";

    private static async Task<JsonObject> WaitForPodAsync(HttpClient c, string name, Func<JsonObject?, bool> condition, string what)
    {
        JsonObject? pod = null;
        await Eventually.TrueAsync(async () => condition(pod = await GetAsync(c, $"{Pods}/{name}", CancellationToken.None)), what, CancellationToken.None);
        return pod!;
    }

    private static bool IsReady(JsonObject? pod) =>
        pod?["status"]?["phase"]?.ToString() == "Running"
        && pod["status"]!["conditions"]!.AsArray().Any(c => c!["type"]!.ToString() == "Ready" && c["status"]!.ToString() == "True");

    [Fact]
    public async Task NewPods_BoundRunningReady_WithUniqueLoopbackIps()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var kubelet = new SimulatedKubelet(f.Server.CreateClient(), new SimulatedKubeletOptions { Namespace = "t" });
        await kubelet.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("a"), CancellationToken.None);
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("b"), CancellationToken.None);
        var a = await WaitForPodAsync(f.Client, "a", IsReady, "pod a is Ready");
        var b = await WaitForPodAsync(f.Client, "b", IsReady, "pod b is Ready");
        Assert.Equal("sim-node-1", a["spec"]!["nodeName"]!.ToString());
        var ipA = a["status"]!["podIP"]!.ToString();
        var ipB = b["status"]!["podIP"]!.ToString();
        Assert.StartsWith("127.", ipA, StringComparison.Ordinal);
        Assert.NotEqual(ipA, ipB);
        Assert.Equal(ipA, a["status"]!["podIPs"]![0]!["ip"]!.ToString());
    }

    [Fact]
    public async Task LabelSelector_OnlyMatchingPodsStart()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var kubelet = new SimulatedKubelet(f.Server.CreateClient(), new SimulatedKubeletOptions { Namespace = "t", LabelSelector = "app=desk" });
        await kubelet.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("other"), CancellationToken.None);
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("mine", """{"app":"desk"}"""), CancellationToken.None);
        await WaitForPodAsync(f.Client, "mine", IsReady, "the matching pod is Ready");
        var other = await GetAsync(f.Client, $"{Pods}/other", CancellationToken.None);
        Assert.Equal("Pending", other!["status"]!["phase"]!.ToString());
        Assert.Null(other["spec"]!["nodeName"]);
    }

    [Fact]
    public async Task Delete_GracefulPod_RemovedByKubeletAfterScaledGrace()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var kubelet = new SimulatedKubelet(f.Server.CreateClient(), new SimulatedKubeletOptions { Namespace = "t", GracePeriodScale = 0 });
        await kubelet.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("a"), CancellationToken.None);
        await WaitForPodAsync(f.Client, "a", IsReady, "pod a is Ready");
        var (_, deleting) = await SendAsync(f.Client, HttpMethod.Delete, $"{Pods}/a", null, CancellationToken.None);
        Assert.Equal(30, deleting["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());
        await WaitForPodAsync(f.Client, "a", p => p is null, "the kubelet removes the pod");
    }

    [Fact]
    public async Task FailAndEvict_PodsBecomeFailedAndNotReady()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var kubelet = new SimulatedKubelet(f.Server.CreateClient(), new SimulatedKubeletOptions { Namespace = "t" });
        await kubelet.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("a"), CancellationToken.None);
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("b"), CancellationToken.None);
        await WaitForPodAsync(f.Client, "a", IsReady, "pod a is Ready");
        await WaitForPodAsync(f.Client, "b", IsReady, "pod b is Ready");
        await kubelet.FailPodAsync("t", "a");
        await kubelet.EvictPodAsync("t", "b");
        var a = await GetAsync(f.Client, $"{Pods}/a", CancellationToken.None);
        var b = await GetAsync(f.Client, $"{Pods}/b", CancellationToken.None);
        Assert.Equal("Failed", a!["status"]!["phase"]!.ToString());
        Assert.False(IsReady(a));
        Assert.Equal("Evicted", b!["status"]!["reason"]!.ToString());
        var (_, deleted) = await SendAsync(f.Client, HttpMethod.Delete, $"{Pods}/b", null, CancellationToken.None);
        Assert.Equal(0, deleted["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());
        Assert.Null(await GetAsync(f.Client, $"{Pods}/b", CancellationToken.None));
    }

    [Fact]
    public async Task OwnerDeleted_OwnedRunningPod_GracefullyDeletedThenRemovedByKubelet()
    {
        await using var f = await ServerFixture.StartAsync();
        await using var kubelet = new SimulatedKubelet(f.Server.CreateClient(), new SimulatedKubeletOptions { Namespace = "t", GracePeriodScale = 0 });
        await kubelet.StartAsync();
        var (_, owner) = await SendAsync(f.Client, HttpMethod.Post, "apis/example.test/v1/namespaces/t/widgets", Widget("owner"), CancellationToken.None);
        var ownerRef = $$"""[{"apiVersion":"example.test/v1","kind":"Widget","name":"owner","uid":"{{owner["metadata"]!["uid"]}}","controller":true,"blockOwnerDeletion":true}]""";
        var pod = JsonNode.Parse(Pod("p"))!.AsObject();
        pod["metadata"]!["ownerReferences"] = JsonNode.Parse(ownerRef);
        await SendAsync(f.Client, HttpMethod.Post, Pods, pod.ToJsonString(), CancellationToken.None);
        await WaitForPodAsync(f.Client, "p", IsReady, "the owned pod is Ready");
        await SendAsync(f.Client, HttpMethod.Delete, "apis/example.test/v1/namespaces/t/widgets/owner", null, CancellationToken.None);
        await WaitForPodAsync(f.Client, "p", p => p is null, "the garbage collector deletes the pod and the kubelet removes it");
    }
}
