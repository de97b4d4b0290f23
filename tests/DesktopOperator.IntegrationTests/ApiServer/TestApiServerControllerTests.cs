using System.Net;
using System.Text.Json.Nodes;
using DesktopOperator.IntegrationTests.Conformance;
using DesktopOperator.Testing.Kubelet;
using DesktopOperator.Testing.Waiting;
using static DesktopOperator.IntegrationTests.Conformance.KubeJson;

namespace DesktopOperator.IntegrationTests.ApiServer;

/// <summary>What the test API server does in kube-controller-manager's place (transcript 17), on short timings.</summary>
public sealed class TestApiServerControllerTests
{
    private const string Pods = "api/v1/namespaces/t/pods";
    private const string Budgets = "apis/policy/v1/namespaces/t/poddisruptionbudgets";
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static string Pod(string name, string? node = null, string extraMeta = "", string? automount = "false") =>
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"" + extraMeta + "},\"spec\":{"
        + (automount is null ? string.Empty : "\"automountServiceAccountToken\":" + automount + ",")
        + (node is null ? string.Empty : "\"nodeName\":\"" + node + "\",")
        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}";

    /// <summary>Short controller timings; <paramref name="nodeGrace"/> long where a test's nodes post no heartbeat but must stay Ready.</summary>
    private static Task<ServerFixture> FastControllersAsync(double nodeGrace = 1) => ServerFixture.StartAsync(o =>
    {
        o.NodeMonitorGracePeriod = TimeSpan.FromSeconds(nodeGrace);
        o.PodGcQuarantine = TimeSpan.FromMilliseconds(300);
        o.ControllerPeriod = TimeSpan.FromMilliseconds(50);
    });

    private static async Task<JsonObject> WaitForAsync(HttpClient c, string path, Func<JsonObject?, bool> condition, string what)
    {
        JsonObject? obj = null;
        await Eventually.TrueAsync(async () => condition(obj = await GetAsync(c, path, Ct)), what, Ct);
        return obj!;
    }

    private static string? Condition(JsonObject? obj, string type) =>
        obj?["status"]?["conditions"]?.AsArray().FirstOrDefault(c => c!["type"]!.ToString() == type)?["status"]?.ToString();

    private static async Task RunReadyAsync(HttpClient c, string name)
    {
        var status = """{"status":{"phase":"Running","podIP":"127.0.0.31","conditions":[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]}}""";
        var (code, pod) = await SendAsync(c, HttpMethod.Patch, $"{Pods}/{name}/status", status, Ct, "application/merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("127.0.0.31", pod["status"]!["podIPs"]![0]!["ip"]!.ToString());
    }

    [Fact]
    public async Task Kubelet_RegistersItsNodeAndKeepsItReadyByRenewingTheLease()
    {
        // Renewals 20 times as often as the grace period (a real kubelet's: 4 times, 10 s against 40 s): at 200 ms
        // against 1 s, a CI machine that stalled the test's process for 0.8 s once made the node Unknown, correctly.
        await using var f = await FastControllersAsync(nodeGrace: 2);
        await using var kubelet = new SimulatedKubelet(f.Server.CreateClient(), new SimulatedKubeletOptions { Namespace = "t", LeaseRenewInterval = TimeSpan.FromMilliseconds(100) });
        await kubelet.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("a"), Ct);
        await WaitForAsync(f.Client, $"{Pods}/a", p => Condition(p, "Ready") == "True", "the pod runs on the kubelet's node");
        var node = await WaitForAsync(f.Client, "api/v1/nodes/sim-node-1", n => n?["spec"]?["taints"] is null, "the node lifecycle controller lifts the not-ready taint");
        Assert.Equal("True", Condition(node, "Ready"));
        Assert.Equal("0", node["metadata"]!["annotations"]!["node.alpha.kubernetes.io/ttl"]!.ToString());
        Assert.Equal("linux", node["metadata"]!["labels"]!["beta.kubernetes.io/os"]!.ToString());

        // Renewals spanning well over the (2 s) grace period: the node stays Ready.
        var renewals = new HashSet<string>();
        await Eventually.TrueAsync(
            async () => renewals.Add((await GetAsync(f.Client, "apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/sim-node-1", Ct))!["spec"]!["renewTime"]!.ToString()) && renewals.Count >= 30,
            "thirty lease renewals",
            Ct,
            TimeSpan.FromSeconds(30));
        Assert.Equal("True", Condition(await GetAsync(f.Client, "api/v1/nodes/sim-node-1", Ct), "Ready"));
        Assert.Equal("True", Condition(await GetAsync(f.Client, $"{Pods}/a", Ct), "Ready"));
    }

    [Fact]
    public async Task Node_WithoutHeartbeat_GoesUnknownTaintedAndItsPodsNotReady()
    {
        await using var f = await FastControllersAsync();
        await SendAsync(f.Client, HttpMethod.Post, "api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}}""", Ct);
        var ready = """{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","lastHeartbeatTime":"2024-01-01T00:00:00Z","lastTransitionTime":"2024-01-01T00:00:00Z"}]}}""";
        await SendAsync(f.Client, HttpMethod.Patch, "api/v1/nodes/n1/status", ready, Ct, "application/merge-patch+json");
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("p", node: "n1"), Ct);
        await RunReadyAsync(f.Client, "p");

        var node = await WaitForAsync(f.Client, "api/v1/nodes/n1", n => Condition(n, "Ready") == "Unknown", "the node goes Unknown");
        Assert.Equal("Kubelet stopped posting node status.", node["status"]!["conditions"]!.AsArray().First(c => c!["type"]!.ToString() == "Ready")!["message"]!.ToString());
        Assert.Equal("node.kubernetes.io/unreachable", Assert.Single(node["spec"]!["taints"]!.AsArray())!["key"]!.ToString());
        Assert.All(new[] { "MemoryPressure", "DiskPressure", "PIDPressure" }, t => Assert.Equal("Unknown", Condition(node, t)));
        var pod = await WaitForAsync(f.Client, $"{Pods}/p", p => Condition(p, "Ready") == "False", "its pod is not Ready");
        Assert.Equal("Running", pod["status"]!["phase"]!.ToString());
    }

    [Fact]
    public async Task PodGc_PodBoundToAMissingNode_ForceDeletedAfterQuarantine()
    {
        await using var f = await FastControllersAsync();
        await SendAsync(f.Client, HttpMethod.Post, "api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"real"}}""", Ct);
        var rv = Rv((await GetAsync(f.Client, Pods, Ct))!);
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("ghost", node: "node-ghost"), Ct);
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("kept", node: "real"), Ct);
        var events = await WatchChecks.ReadAsync(f.Client, $"{Pods}?watch=1&fieldSelector=metadata.name%3Dghost&resourceVersion={rv}", 3, TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(["ADDED", "MODIFIED", "DELETED"], events.Select(e => e["type"]!.ToString()));
        Assert.Equal(0, events[1]["object"]!["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());
        Assert.NotNull(await GetAsync(f.Client, $"{Pods}/kept", Ct));
    }

    [Fact]
    public async Task Eviction_HonoursTheBudget_AndTheApiserverRecordsTheDisruption()
    {
        await using var f = await FastControllersAsync(nodeGrace: 600);
        await SendAsync(f.Client, HttpMethod.Post, "api/v1/nodes", """{"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"}}""", Ct);
        foreach (var name in new[] { "e-1", "e-2" })
        {
            await SendAsync(f.Client, HttpMethod.Post, Pods, Pod(name, node: "n1", extraMeta: ",\"labels\":{\"app\":\"evict\"}"), Ct);
            await RunReadyAsync(f.Client, name);
        }

        await SendAsync(f.Client, HttpMethod.Post, Budgets, """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb"},"spec":{"minAvailable":2,"selector":{"matchLabels":{"app":"evict"}}}}""", Ct);
        var pdb = await WaitForAsync(f.Client, $"{Budgets}/pdb", b => b?["status"]?["observedGeneration"]?.GetValue<long>() == 1, "the disruption controller computes the status");
        Assert.Equal(0, pdb["status"]!["disruptionsAllowed"]!.GetValue<int>());
        Assert.Equal(2, pdb["status"]!["currentHealthy"]!.GetValue<int>());
        Assert.Equal("InsufficientPods", pdb["status"]!["conditions"]![0]!["reason"]!.ToString());

        var (refused, body) = await EvictAsync(f.Client, "e-1");
        Assert.Equal((HttpStatusCode)429, refused);
        Assert.Equal("The disruption budget pdb needs 2 healthy pods and has 2 currently", body["details"]!["causes"]![0]!["message"]!.ToString());

        await SendAsync(f.Client, HttpMethod.Patch, $"{Budgets}/pdb", """{"spec":{"minAvailable":1}}""", Ct, "application/merge-patch+json");
        await WaitForAsync(f.Client, $"{Budgets}/pdb", b => b?["status"]?["disruptionsAllowed"]?.GetValue<int>() == 1, "one disruption allowed");
        var (allowed, success) = await EvictAsync(f.Client, "e-1");
        Assert.Equal(HttpStatusCode.Created, allowed);
        Assert.Equal("Success", success["status"]!.ToString());
        var evicted = await GetAsync(f.Client, $"{Pods}/e-1", Ct);
        Assert.Equal(30, evicted!["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.TooManyRequests, (await EvictAsync(f.Client, "e-2")).Status);
        Assert.Equal(HttpStatusCode.Created, (await EvictAsync(f.Client, "e-1")).Status); // already terminating: no budget asked
        Assert.Equal(HttpStatusCode.NotFound, (await EvictAsync(f.Client, "nope")).Status);
        var recomputed = await WaitForAsync(f.Client, $"{Budgets}/pdb", b => b?["status"]?["currentHealthy"]?.GetValue<int>() == 1, "the controller recounts");
        Assert.Null(recomputed["status"]!["disruptedPods"]);
    }

    [Fact]
    public async Task Budget_MaxUnavailableOverACustomResourceWithoutScale_SyncFailedAndRefusesEvictions()
    {
        await using var f = await FastControllersAsync(nodeGrace: 600);
        var (_, owner) = await SendAsync(f.Client, HttpMethod.Post, "apis/example.test/v1/namespaces/t/widgets", Widget("pool"), Ct);
        var ownerRef = $",\"labels\":{{\"app\":\"owned\"}},\"ownerReferences\":[{{\"apiVersion\":\"example.test/v1\",\"kind\":\"Widget\",\"name\":\"pool\",\"uid\":\"{owner["metadata"]!["uid"]}\",\"controller\":true}}]";
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("o-1", node: "n1", extraMeta: ownerRef), Ct);
        await SendAsync(f.Client, HttpMethod.Post, Budgets, """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb"},"spec":{"maxUnavailable":1,"selector":{"matchLabels":{"app":"owned"}}}}""", Ct);
        var pdb = await WaitForAsync(f.Client, $"{Budgets}/pdb", b => b?["status"]?["conditions"] is not null, "the disruption controller writes a status");
        var condition = pdb["status"]!["conditions"]![0]!;
        Assert.Equal("SyncFailed", condition["reason"]!.ToString());
        Assert.Equal("widgets.example.test does not implement the scale subresource", condition["message"]!.ToString());
        Assert.Null(pdb["status"]!["observedGeneration"]);
        await RunReadyAsync(f.Client, "o-1");
        var (status, body) = await EvictAsync(f.Client, "o-1");
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal("The disruption budget pdb is still being processed by the server.", body["details"]!["causes"]![0]!["message"]!.ToString());
        Assert.Equal(10, body["details"]!["retryAfterSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task NewNamespace_GetsRootCaAndDefaultServiceAccount_PodsGetAProjectedToken()
    {
        await using var f = await FastControllersAsync();
        await SendAsync(f.Client, HttpMethod.Post, "api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"fresh"}}""", Ct);
        var ca = await GetAsync(f.Client, "api/v1/namespaces/fresh/configmaps/kube-root-ca.crt", Ct);
        Assert.Contains("BEGIN CERTIFICATE", ca!["data"]!["ca.crt"]!.ToString(), StringComparison.Ordinal);
        Assert.NotNull(await GetAsync(f.Client, "api/v1/namespaces/fresh/serviceaccounts/default", Ct));

        var (created, pod) = await SendAsync(f.Client, HttpMethod.Post, "api/v1/namespaces/fresh/pods", Pod("p", automount: null), Ct);
        Assert.Equal(HttpStatusCode.Created, created);
        var volume = Assert.Single(pod["spec"]!["volumes"]!.AsArray())!;
        Assert.Matches("^kube-api-access-[a-z0-9]{5}$", volume["name"]!.ToString());
        Assert.Equal(3607, volume["projected"]!["sources"]![0]!["serviceAccountToken"]!["expirationSeconds"]!.GetValue<int>());
        var mount = Assert.Single(pod["spec"]!["containers"]![0]!["volumeMounts"]!.AsArray())!;
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount", mount["mountPath"]!.ToString());

        var robot = JsonNode.Parse(Pod("r"))!.AsObject();
        robot["spec"]!["serviceAccountName"] = "robot";
        var (forbidden, error) = await SendAsync(f.Client, HttpMethod.Post, "api/v1/namespaces/fresh/pods", robot.ToJsonString(), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal("pods \"r\" is forbidden: error looking up service account fresh/robot: serviceaccount \"robot\" not found", error["message"]!.ToString());
    }

    [Fact]
    public async Task Binding_SetsTheNode_ASecondOneConflicts()
    {
        await using var f = await FastControllersAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, Pod("b"), Ct);
        var binding = """{"apiVersion":"v1","kind":"Binding","metadata":{"name":"b"},"target":{"apiVersion":"v1","kind":"Node","name":"n1"}}""";
        var (first, ok) = await SendAsync(f.Client, HttpMethod.Post, $"{Pods}/b/binding", binding, Ct);
        Assert.Equal(HttpStatusCode.Created, first);
        Assert.Equal("Success", ok["status"]!.ToString());
        Assert.Equal("n1", (await GetAsync(f.Client, $"{Pods}/b", Ct))!["spec"]!["nodeName"]!.ToString());
        var (second, conflict) = await SendAsync(f.Client, HttpMethod.Post, $"{Pods}/b/binding", binding.Replace("\"n1\"", "\"n2\"", StringComparison.Ordinal), Ct);
        Assert.Equal(HttpStatusCode.Conflict, second);
        Assert.Equal("Operation cannot be fulfilled on pods/binding \"b\": pod b is already assigned to node \"n1\"", conflict["message"]!.ToString());
        Assert.Equal("pods/binding", conflict["details"]!["kind"]!.ToString());
    }

    private static Task<(HttpStatusCode Status, JsonObject Body)> EvictAsync(HttpClient c, string pod) =>
        SendAsync(c, HttpMethod.Post, $"{Pods}/{pod}/eviction", $$$"""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"{{{pod}}}","namespace":"t"}}""", Ct);
}
