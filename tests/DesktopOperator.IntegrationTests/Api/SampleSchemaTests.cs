using DesktopOperator.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DesktopOperator.Api.Validation;
using DesktopOperator.Api.Yaml;
using DesktopOperator.IntegrationTests.Kube;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Schema;

namespace DesktopOperator.IntegrationTests.Api;

/// <summary>The shipped samples against the generated CRD schemas, locally and through the TestApiServer.</summary>
public sealed class SampleSchemaTests
{
    private const string Ns = "samples";

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.PathOf("config", "samples"), "*.yaml")
            .Concat(Directory.GetFiles(RepositoryPaths.PathOf("config", "standalone", "pools"), "*.yaml"))
            .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryPaths.Root, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_AgainstGeneratedSchema_IsValidAndHasNoUnknownFields(string relativePath)
    {
        var text = File.ReadAllText(RepositoryPaths.PathOf(relativePath));
        foreach (var doc in ManifestJson.ParseAll(text).OfType<JsonObject>())
        {
            var schema = SchemaFor(doc["kind"]!.GetValue<string>());
            var defaulted = doc.DeepClone();

            // The API server's order: decode, default and prune, then validate.
            StructuralSchemaValidator.ApplyDefaultsAndPrune(defaulted, schema);
            var errors = StructuralSchemaValidator.Validate(defaulted, schema);

            Assert.Empty(errors);
            Assert.Null(FirstMissing(doc, defaulted, string.Empty));
        }

        Assert.All(ResourceYaml.LoadAll(text, relativePath), resource => Assert.Empty(ResourceValidator.Validate(resource)));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Sample_CreatedThroughTheServer_Gets201WithDefaults(string relativePath)
    {
        await using var server = await StartAsync();
        using var http = server.CreateClient();
        foreach (var doc in ManifestJson.ParseAll(File.ReadAllText(RepositoryPaths.PathOf(relativePath))).OfType<JsonObject>())
        {
            var expected = doc.DeepClone();
            StructuralSchemaValidator.ApplyDefaultsAndPrune(expected, SchemaFor(doc["kind"]!.GetValue<string>()));

            using var response = await http.PostAsJsonAsync(CollectionUri(doc), doc);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>();

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.True(JsonNode.DeepEquals(expected["spec"], body!["spec"]), $"server spec {body["spec"]} differs from the schema-defaulted {expected["spec"]}");
        }
    }

    [Theory]
    [InlineData("""{"capacity":{"minHosts":5,"maxHosts":2}}""", "spec.capacity", "spec.capacity.maxHosts")]
    [InlineData("""{"staticHosts":[{"name":"h1","address":"10.0.0.1"}]}""", "spec", "spec")]
    public async Task Pool_BreakingACelRule_Gets422OnTheFieldOurValidatorNames(string specPatch, string serverField, string ourField)
    {
        var pool = ManifestJson.Parse(File.ReadAllText(RepositoryPaths.PathOf("config", "samples", "desktoppool-rdp.yaml")))!.AsObject();
        pool["spec"] = Merge(pool["spec"]!.AsObject(), JsonNode.Parse(specPatch)!.AsObject());
        var ours = ResourceValidator.Validate(ResourceYaml.LoadAll(pool.ToJsonString(), "broken.json").Single());
        await using var server = await StartAsync();
        using var http = server.CreateClient();

        using var response = await http.PostAsJsonAsync(CollectionUri(pool), pool);
        var status = await response.Content.ReadFromJsonAsync<JsonObject>();
        var causes = status!["details"]!["causes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).ToList();

        // A 1.24 server (which the TestApiServer imitates) ignores a rule's fieldPath (honoured from 1.28) and names
        // the field that carries the rule; our validator names the offending field itself, inside that one.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(serverField, causes);
        Assert.Contains(ours, e => e.Field == ourField);
        Assert.True(ourField == serverField || ourField.StartsWith(serverField + ".", StringComparison.Ordinal));
    }

    [Fact]
    public void CelLite_MacroCallOnAList_IsSkippedNotReportedAsMissingKey()
    {
        // Regression: "self.all(...)" on the protocols list was read as a field "all" and rejected valid pools.
        var result = CelLite.Evaluate("self.all(p, self.exists_one(q, q.name == p.name))", JsonNode.Parse("""[{"name":"a"}]"""));

        Assert.Null(result.Value);
        Assert.Null(result.Error);
    }

    private static async Task<TestApiServer> StartAsync()
    {
        var options = new TestApiServerOptions();
        options.Namespaces.Add(Ns);
        foreach (var crd in RepositoryPaths.CrdFiles())
        {
            options.CrdFiles.Add(crd);
        }

        var server = new TestApiServer(options);
        await server.StartAsync();
        return server;
    }

    private static Uri CollectionUri(JsonObject doc)
    {
        var plural = doc["kind"]!.GetValue<string>().ToLowerInvariant() + "s";
        return new Uri($"apis/{doc["apiVersion"]!.GetValue<string>()}/namespaces/{Ns}/{plural}", UriKind.Relative);
    }

    private static JsonNode SchemaFor(string kind)
    {
        foreach (var file in RepositoryPaths.CrdFiles())
        {
            var crd = ManifestJson.Parse(File.ReadAllText(file))!;
            if (crd["spec"]!["names"]!["kind"]!.GetValue<string>() == kind)
            {
                return crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;
            }
        }

        throw new InvalidOperationException($"no CRD for {kind}");
    }

    /// <summary>The first path of <paramref name="original"/> that pruning removed, or null.</summary>
    private static string? FirstMissing(JsonNode? original, JsonNode? pruned, string path)
    {
        switch (original)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (pruned is not JsonObject p || !p.ContainsKey(key))
                    {
                        return $"{path}.{key}";
                    }

                    if (FirstMissing(value, p[key], $"{path}.{key}") is { } missing)
                    {
                        return missing;
                    }
                }

                return null;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (pruned is not JsonArray p || p.Count <= i)
                    {
                        return $"{path}[{i}]";
                    }

                    if (FirstMissing(a[i], p[i], $"{path}[{i}]") is { } missing)
                    {
                        return missing;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static JsonObject Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            target[key] = value is JsonObject p && target[key] is JsonObject t ? Merge(t, p) : value?.DeepClone();
        }

        return target;
    }
}
