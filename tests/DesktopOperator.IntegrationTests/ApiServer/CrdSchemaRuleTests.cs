using DesktopOperator.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Testing.ApiServer;

namespace DesktopOperator.IntegrationTests.ApiServer;

/// <summary>
/// Our DesktopPool CRD broken one way at a time, each way a real kube-apiserver 1.24 refused in transcript 15: the
/// test API server must refuse it too, with the real server's message (read from the transcript where it recorded
/// one), and accept the rewrite the transcript shows.
/// </summary>
public sealed class CrdSchemaRuleTests
{
    private const string CrdPath = "apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private const string Schema = "spec.validation.openAPIV3Schema";

    private static readonly JsonArray Transcript =
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ApiServer", "Transcripts", "15-crd-schema-rules.json")))!.AsArray();

    [Fact]
    public async Task MetadataWithADescription_IsRefusedWithTheRealMessage()
    {
        var crd = PoolCrd();
        Root(crd)["properties"]!["metadata"] = new JsonObject { ["type"] = "object", ["description"] = "Standard object metadata." };

        var causes = await RefusedAsync(crd);

        Assert.Equal([(RecordedCause(0, 0), $"{Schema}.properties[metadata]")], causes);
    }

    [Fact]
    public async Task HasNotEqualsHas_IsOverTheCostBudgetWithTheRealMessages()
    {
        var crd = PoolCrd();
        var rules = Spec(crd)["x-kubernetes-validations"]!.AsArray();
        var index = rules.Select(r => r!["rule"]!.GetValue<string>()).ToList().IndexOf("has(self.template) ? !has(self.staticHosts) : has(self.staticHosts)");
        rules[index]!["rule"] = "has(self.template) != has(self.staticHosts)";

        var causes = await RefusedAsync(crd);

        var rule = $"{Schema}.properties[spec].x-kubernetes-validations[{index}].rule";
        Assert.Equal([(RecordedCause(3, 0), rule), (RecordedCause(3, 1), rule), (RecordedCause(3, 2), Schema)], causes);
    }

    [Fact]
    public async Task EmptyDefaultOnAnObjectWithARule_IsRefusedWithTheRealMessage()
    {
        var crd = PoolCrd();
        Spec(crd)["properties"]!["capacity"]!["default"] = new JsonObject();

        var causes = await RefusedAsync(crd);

        // Recorded: Invalid value: "object": no such key: min evaluating rule: min must not exceed max
        var recorded = RecordedCause(5, 0);
        var expected = recorded
            .Replace("no such key: min ", "no such key: minHosts ", StringComparison.Ordinal)
            .Replace("rule: min must not exceed max", "rule: spec.capacity: minHosts must not exceed maxHosts", StringComparison.Ordinal);
        Assert.NotEqual(recorded, expected);
        Assert.Equal([(expected, $"{Schema}.properties[spec].properties[capacity].default")], causes);
    }

    [Fact]
    public async Task ListRuleWithoutMaxItemsAndMaxLength_IsOverTheCostBudget_AndAcceptedWithThem()
    {
        var crd = PoolCrd();
        var hosts = Spec(crd)["properties"]!["staticHosts"]!.AsObject();
        hosts.Remove("maxItems");
        hosts["items"]!["properties"]!["name"]!.AsObject().Remove("maxLength");
        Assert.Equal(["self.all(h, self.exists_one(g, g.name == h.name))"], hosts["x-kubernetes-validations"]!.AsArray().Select(r => r!["rule"]!.GetValue<string>()));

        var causes = await RefusedAsync(crd);

        var rule = $"{Schema}.properties[spec].properties[staticHosts].x-kubernetes-validations[0].rule";
        Assert.Equal([(RecordedCause(3, 0), rule), (RecordedCause(3, 1), rule), (RecordedCause(3, 2), Schema)], causes);

        hosts["maxItems"] = 64;
        hosts["items"]!["properties"]!["name"]!["maxLength"] = 63;
        await AcceptedAsync(crd);
    }

    [Theory]
    [InlineData("self.minHosts <= self.maxHost", "ERROR: <input>:1:22: undefined field 'maxHost'")]
    [InlineData("self.minHosts <=", "ERROR: <input>:1:17: Syntax error: mismatched input '<EOF>' expecting an expression")]
    [InlineData("self.minHosts", "cel expression must evaluate to a bool")]
    [InlineData("sizeOf(self.minHosts) > 0", "ERROR: <input>:1:1: undeclared reference to 'sizeOf' (in container '')")]
    public async Task RuleThatDoesNotCompile_IsRefused(string text, string error)
    {
        var crd = PoolCrd();
        Spec(crd)["properties"]!["capacity"]!["x-kubernetes-validations"]![0]!["rule"] = text;

        var (message, field) = Assert.Single(await RefusedAsync(crd));

        Assert.Equal($"{Schema}.properties[spec].properties[capacity].x-kubernetes-validations[0].rule", field);
        Assert.StartsWith($"Invalid value: apiextensions.ValidationRule{{Rule:\"{text}\", Message:\"spec.capacity: minHosts must not exceed maxHosts\"}}: ", message, StringComparison.Ordinal);
        Assert.Contains(error, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FieldPathOnARule_IsDroppedOnCreate_AsThe124ServerDid()
    {
        var crd = PoolCrd();
        Spec(crd)["x-kubernetes-validations"]![0]!["fieldPath"] = ".healthCheck.protocol";

        var stored = await AcceptedAsync(crd);

        Assert.False(Root(stored)["properties"]!["spec"]!["x-kubernetes-validations"]![0]!.AsObject().ContainsKey("fieldPath"));
        Assert.False(Transcript[2]!["response"]!["body"]!["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["x-kubernetes-validations"]![0]!.AsObject().ContainsKey("fieldPath"));
    }

    [Fact]
    public async Task IssueExample_NamesUniqueRule_NeedsMaxItemsAndMaxLength()
    {
        var names = new JsonObject
        {
            ["type"] = "array",
            ["items"] = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["name"] = new JsonObject { ["type"] = "string" } } },
            ["x-kubernetes-validations"] = new JsonArray(new JsonObject { ["rule"] = "self.all(x, self.exists_one(y, y.name == x.name))", ["message"] = "spec.items: names must be unique" }),
        };
        var crd = PoolCrd();
        Spec(crd)["properties"]!["items"] = names;

        var causes = await RefusedAsync(crd);

        var rule = $"{Schema}.properties[spec].properties[items].x-kubernetes-validations[0].rule";
        Assert.Equal([(RecordedCause(3, 0), rule), (RecordedCause(3, 1), rule), (RecordedCause(3, 2), Schema)], causes);
        names["maxItems"] = 64;
        names["items"]!["properties"]!["name"]!["maxLength"] = 63;
        await AcceptedAsync(crd);
    }

    private static JsonObject PoolCrd() =>
        ManifestJson.Parse(File.ReadAllText(RepositoryPaths.PathOf("crds", "desktop-operator.io_desktoppools.yaml")))!.AsObject();

    private static JsonObject Root(JsonObject crd) => crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    private static JsonObject Spec(JsonObject crd) => Root(crd)["properties"]!["spec"]!.AsObject();

    /// <summary>The message of cause <paramref name="cause"/> of the response to transcript step <paramref name="step"/>.</summary>
    private static string RecordedCause(int step, int cause) =>
        Transcript[step]!["response"]!["body"]!["details"]!["causes"]![cause]!["message"]!.GetValue<string>();

    private static async Task<List<(string Message, string Field)>> RefusedAsync(JsonObject crd)
    {
        await using var server = new TestApiServer();
        await server.StartAsync();
        using var http = server.CreateClient();
        using var response = await http.PostAsJsonAsync(CrdPath, crd);
        var status = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, status?.ToJsonString());
        Assert.Equal("Invalid", status!["reason"]!.GetValue<string>());
        return status["details"]!["causes"]!.AsArray()
            .Select(c => (c!["message"]!.GetValue<string>(), c["field"]!.GetValue<string>()))
            .ToList();
    }

    private static async Task<JsonObject> AcceptedAsync(JsonObject crd)
    {
        await using var server = new TestApiServer();
        await server.StartAsync();
        using var http = server.CreateClient();
        using var response = await http.PostAsJsonAsync(CrdPath, crd);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.True(response.StatusCode == HttpStatusCode.Created, body?.ToJsonString());
        return body!;
    }
}
