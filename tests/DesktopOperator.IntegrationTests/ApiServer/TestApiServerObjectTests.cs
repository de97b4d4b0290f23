using System.Net;
using DesktopOperator.IntegrationTests.Conformance;
using DesktopOperator.Testing.Waiting;
using static DesktopOperator.IntegrationTests.Conformance.KubeJson;

namespace DesktopOperator.IntegrationTests.ApiServer;

public sealed class TestApiServerObjectTests
{
    private const string Pods = "api/v1/namespaces/t/pods";

    [Fact]
    public async Task PodCreate_WithoutDefaultServiceAccount_Forbidden()
    {
        await using var f = await ServerFixture.StartAsync(o => o.CreateDefaultServiceAccounts = false);
        var (status, body) = await SendAsync(f.Client, HttpMethod.Post, Pods, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x:1"}]}}""", CancellationToken.None);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("pods \"p\" is forbidden: error looking up service account t/default: serviceaccount \"default\" not found", body["message"]!.ToString());
    }

    [Fact]
    public async Task PodDelete_UnscheduledImmediate_ScheduledGracefulAndShortened()
    {
        await using var f = await ServerFixture.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"u"},"spec":{"containers":[{"name":"c","image":"x:1"}]}}""", CancellationToken.None);
        await SendAsync(f.Client, HttpMethod.Post, Pods, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"s"},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"x:1"}]}}""", CancellationToken.None);
        var (_, u) = await SendAsync(f.Client, HttpMethod.Delete, $"{Pods}/u", null, CancellationToken.None);
        Assert.Equal(0, u["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());
        Assert.Null(await GetAsync(f.Client, $"{Pods}/u", CancellationToken.None));
        await SendAsync(f.Client, HttpMethod.Delete, $"{Pods}/s", null, CancellationToken.None);
        Assert.NotNull(await GetAsync(f.Client, $"{Pods}/s", CancellationToken.None));
        var (_, shortened) = await SendAsync(f.Client, HttpMethod.Delete, $"{Pods}/s?gracePeriodSeconds=10", null, CancellationToken.None);
        Assert.Equal(10, shortened["metadata"]!["deletionGracePeriodSeconds"]!.GetValue<int>());
        await SendAsync(f.Client, HttpMethod.Delete, $"{Pods}/s?gracePeriodSeconds=0", null, CancellationToken.None);
        Assert.Null(await GetAsync(f.Client, $"{Pods}/s", CancellationToken.None));
    }

    [Fact]
    public async Task Lease_MicroTimeWithoutSixDigits_BadRequest()
    {
        await using var f = await ServerFixture.StartAsync();
        const string Leases = "apis/coordination.k8s.io/v1/namespaces/t/leases";
        var (ok, _) = await SendAsync(f.Client, HttpMethod.Post, Leases, """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l"},"spec":{"holderIdentity":"a","leaseDurationSeconds":15,"renewTime":"2024-01-01T00:00:00.000000Z"}}""", CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, ok);
        var (bad, body) = await SendAsync(f.Client, HttpMethod.Post, Leases, """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"m"},"spec":{"renewTime":"2024-01-01T00:00:20Z"}}""", CancellationToken.None);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.EndsWith("cannot parse \"Z\" as \".000000\"", body["message"]!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamespaceDelete_WithControllers_ContentsThenNamespaceGo()
    {
        await using var f = await ServerFixture.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, "api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"doomed"}}""", CancellationToken.None);
        await SendAsync(f.Client, HttpMethod.Post, "apis/example.test/v1/namespaces/doomed/widgets", Widget("w"), CancellationToken.None);
        var (_, ns) = await SendAsync(f.Client, HttpMethod.Delete, "api/v1/namespaces/doomed", null, CancellationToken.None);
        Assert.Equal("Terminating", ns["status"]!["phase"]!.ToString());
        await Eventually.TrueAsync(async () => await GetAsync(f.Client, "api/v1/namespaces/doomed", CancellationToken.None) is null, "the namespace is removed", CancellationToken.None);
        Assert.Null(await GetAsync(f.Client, "apis/example.test/v1/namespaces/doomed/widgets/w", CancellationToken.None));
    }

    [Fact]
    public async Task ServerSideApply_ConflictThenForce_MovesOwnership()
    {
        await using var f = await ServerFixture.StartAsync();
        const string W = "apis/example.test/v1/namespaces/t/widgets/w";
        const string Yaml = "application/apply-patch+yaml";
        var (created, _) = await SendAsync(f.Client, HttpMethod.Patch, $"{W}?fieldManager=a", "apiVersion: example.test/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: small\n  color: red\n", CancellationToken.None, Yaml);
        Assert.Equal(HttpStatusCode.Created, created);
        var (conflict, body) = await SendAsync(f.Client, HttpMethod.Patch, $"{W}?fieldManager=b", "apiVersion: example.test/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  color: green\n", CancellationToken.None, Yaml);
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal(".spec.color", body["details"]!["causes"]![0]!["field"]!.ToString());
        var (forced, obj) = await SendAsync(f.Client, HttpMethod.Patch, $"{W}?fieldManager=b&force=true", "apiVersion: example.test/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  color: green\n", CancellationToken.None, Yaml);
        Assert.Equal(HttpStatusCode.OK, forced);
        Assert.Equal("green", obj["spec"]!["color"]!.ToString());
        var (noManager, _) = await SendAsync(f.Client, HttpMethod.Patch, W, "apiVersion: example.test/v1\nkind: Widget\nmetadata:\n  name: w\n", CancellationToken.None, Yaml);
        Assert.Equal((HttpStatusCode)422, noManager);
    }

    [Fact]
    public async Task StrategicMergePatch_Pod_MergesContainersByName_CrGets415()
    {
        await using var f = await ServerFixture.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"x:1"},{"name":"d","image":"x:1"}]}}""", CancellationToken.None);
        var (ok, pod) = await SendAsync(f.Client, HttpMethod.Patch, $"{Pods}/p", """{"spec":{"containers":[{"name":"d","image":"x:2"}]}}""", CancellationToken.None, "application/strategic-merge-patch+json");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(["x:1", "x:2"], pod["spec"]!["containers"]!.AsArray().Select(c => c!["image"]!.ToString()));
        await SendAsync(f.Client, HttpMethod.Post, "apis/example.test/v1/namespaces/t/widgets", Widget("w"), CancellationToken.None);
        var (unsupported, _) = await SendAsync(f.Client, HttpMethod.Patch, "apis/example.test/v1/namespaces/t/widgets/w", """{"spec":{"color":"red"}}""", CancellationToken.None, "application/strategic-merge-patch+json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported);
    }

    [Fact]
    public async Task JsonPatch_FailingTest_422()
    {
        await using var f = await ServerFixture.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, "apis/example.test/v1/namespaces/t/widgets", Widget("w"), CancellationToken.None);
        var (status, body) = await SendAsync(f.Client, HttpMethod.Patch, "apis/example.test/v1/namespaces/t/widgets/w", """[{"op":"test","path":"/spec/color","value":"green"}]""", CancellationToken.None, "application/json-patch+json");
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal("the server rejected our request due to an error in our request", body["message"]!.ToString());
    }

    [Fact]
    public async Task CrdFiles_LoadedAtStart_AreServed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"crd-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, TranscriptReplayer.WidgetCrd().ToJsonString());
        try
        {
            var options = new Testing.ApiServer.TestApiServerOptions();
            options.CrdFiles.Add(path);
            await using var server = new Testing.ApiServer.TestApiServer(options);
            await server.StartAsync();
            using var client = server.CreateClient();
            var (status, _) = await SendAsync(client, HttpMethod.Post, "apis/example.test/v1/namespaces/default/widgets", Widget("w"), CancellationToken.None);
            Assert.Equal(HttpStatusCode.Created, status);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task LoadCrdYaml_YamlDocument_IsServedWithItsSchema()
    {
        const string Yaml = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: gadgets.example.test
            spec:
              group: example.test
              scope: Namespaced
              names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList}
              versions:
              - name: v1
                served: true
                storage: true
                subresources: {status: {}}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          count: {type: integer, minimum: 1, default: 2}
            """;
        await using var f = await ServerFixture.StartAsync();
        f.Server.LoadCrdYaml(Yaml);
        const string Gadgets = "apis/example.test/v1/namespaces/t/gadgets";
        var (created, body) = await SendAsync(f.Client, HttpMethod.Post, Gadgets, """{"apiVersion":"example.test/v1","kind":"Gadget","metadata":{"name":"g"},"spec":{}}""", CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(2, body["spec"]!["count"]!.GetValue<int>());
        var (invalid, _) = await SendAsync(f.Client, HttpMethod.Post, Gadgets, """{"apiVersion":"example.test/v1","kind":"Gadget","metadata":{"name":"h"},"spec":{"count":0}}""", CancellationToken.None);
        Assert.Equal((HttpStatusCode)422, invalid);
        var crd = await GetAsync(f.Client, "apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.test", CancellationToken.None);
        Assert.Contains(crd!["status"]!["conditions"]!.AsArray(), c => c!["type"]!.ToString() == "Established" && c["status"]!.ToString() == "True");
    }

    [Fact]
    public async Task PodFieldSelectors_NodeNameAndPhase_Filter()
    {
        await using var f = await ServerFixture.StartAsync();
        await SendAsync(f.Client, HttpMethod.Post, Pods, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"x:1"}]}}""", CancellationToken.None);
        await SendAsync(f.Client, HttpMethod.Post, Pods, """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"b"},"spec":{"containers":[{"name":"c","image":"x:1"}]}}""", CancellationToken.None);
        await SendAsync(f.Client, HttpMethod.Patch, $"{Pods}/a/status", """{"status":{"phase":"Running","podIP":"127.0.1.1"}}""", CancellationToken.None, "application/merge-patch+json");
        async Task<string> Names(string selector) =>
            string.Join(",", (await GetAsync(f.Client, $"{Pods}?fieldSelector={Uri.EscapeDataString(selector)}", CancellationToken.None))!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.ToString()));
        Assert.Equal("a", await Names("spec.nodeName=n1"));
        Assert.Equal("b", await Names("spec.nodeName="));
        Assert.Equal("b", await Names("status.phase=Pending"));
        Assert.Equal("a", await Names("status.phase!=Pending,metadata.name=a"));
        var a = await GetAsync(f.Client, $"{Pods}/a", CancellationToken.None);
        Assert.Equal("127.0.1.1", a!["status"]!["podIPs"]![0]!["ip"]!.ToString());
    }
}
