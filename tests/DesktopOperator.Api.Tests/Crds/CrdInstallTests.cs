using DesktopOperator.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DesktopOperator.Api.Tests.Support;
using DesktopOperator.Api.Yaml;
using DesktopOperator.Testing.ApiServer;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Api.Tests.Crds;

/// <summary>
/// Installs what we ship into the test API server the way users do: <c>kubectl apply -f crds/</c> (a create) and
/// Helm 4 (<c>helm template</c>, then server-side apply with a field manager and force). The test API server refuses
/// what kube-apiserver 1.24 refuses in a CRD (transcript 15), so a CRD that installs here installs there.
/// </summary>
public sealed class CrdInstallTests
{
    private const string CrdPath = "apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    public static TheoryData<string> CrdFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(RepositoryPaths.PathOf("crds"), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CrdFiles))]
    public async Task CrdFile_Created_IsEstablished(string file)
    {
        var crd = ResourceYaml.ReadDocuments(File.ReadAllText(RepositoryPaths.PathOf("crds", file)), file).Single().Json!.AsObject();
        await using var server = new TestApiServer();
        await server.StartAsync();
        using var http = server.CreateClient("kubectl/v1.24.0");

        using var response = await http.PostAsJsonAsync(CrdPath, crd);

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        await AssertEstablishedAsync(http, crd["metadata"]!["name"]!.GetValue<string>());
    }

    [ToolFact("helm")]
    public async Task ChartCrds_ServerSideAppliedAsHelmDoes_AreEstablished()
    {
        var (exitCode, output) = await Helm.RunAsync("template", "desktop-operator", RepositoryPaths.PathOf("charts", "desktop-operator"), "--kube-version", "1.24.0");
        Assert.True(exitCode == 0, output);
        var documents = ResourceYaml.ReadDocuments(output, "helm template").Select(d => d.Json!.AsObject())
            .Where(d => d["kind"]?.GetValue<string>() == "CustomResourceDefinition").ToList();
        Assert.Equal(2, documents.Count);
        await using var server = new TestApiServer();
        await server.StartAsync();
        using var http = server.CreateClient("helm/v4.1.4");

        foreach (var crd in documents)
        {
            var name = crd["metadata"]!["name"]!.GetValue<string>();
            using var response = await ApplyAsync(http, name, crd.ToJsonString());

            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            await AssertEstablishedAsync(http, name);
        }
    }

    [Fact]
    public async Task Crd_ServerSideAppliedWithAFieldPath_IsRefusedLikeHelmSeesIt()
    {
        var crd = ResourceYaml.ReadDocuments(File.ReadAllText(RepositoryPaths.PathOf("crds", "desktop-operator.io_desktoppools.yaml")), "pools").Single().Json!.AsObject();
        var spec = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!;
        spec["x-kubernetes-validations"]![0]!["fieldPath"] = ".template";
        await using var server = new TestApiServer();
        await server.StartAsync();
        using var http = server.CreateClient("helm/v4.1.4");

        using var response = await ApplyAsync(http, "desktoppools.desktop-operator.io", crd.ToJsonString());
        var status = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(
            "failed to create typed patch object (/desktoppools.desktop-operator.io; apiextensions.k8s.io/v1, Kind=CustomResourceDefinition): " +
            ".spec.versions[0].schema.openAPIV3Schema.properties.spec.x-kubernetes-validations[0].fieldPath: field not declared in schema",
            status!["message"]!.GetValue<string>());
    }

    private static async Task<HttpResponseMessage> ApplyAsync(HttpClient http, string name, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        return await http.PatchAsync(new Uri($"{CrdPath}/{name}?fieldManager=helm&force=true", UriKind.Relative), content);
    }

    private static async Task AssertEstablishedAsync(HttpClient http, string name)
    {
        var stored = await http.GetFromJsonAsync<JsonObject>(new Uri($"{CrdPath}/{name}", UriKind.Relative));
        var conditions = stored!["status"]!["conditions"]!.AsArray();
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "Established" && c["status"]!.GetValue<string>() == "True");
    }
}
