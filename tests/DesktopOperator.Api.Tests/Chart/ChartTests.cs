using DesktopOperator.Testing;
using System.Text.Json;
using System.Text.Json.Nodes;
using DesktopOperator.Api.Yaml;
using DesktopOperator.Api.Tests.Support;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Api.Tests.Chart;

public sealed class ChartTests
{
    private static readonly string ChartDir = RepositoryPaths.PathOf("charts", "desktop-operator");

    [ToolFact("helm")]
    public async Task HelmLint_Chart_Passes()
    {
        var (exitCode, output) = await Helm.RunAsync("lint", ChartDir, "--strict");
        Assert.True(exitCode == 0, output);
    }

    [ToolFact("helm")]
    public async Task HelmTemplate_Defaults_RendersBothCrdsWithKeep()
    {
        var (exitCode, output) = await Helm.RunAsync("template", "desktop-operator", ChartDir);

        Assert.True(exitCode == 0, output);
        Assert.Contains("name: desktoppools.desktop-operator.io", output, StringComparison.Ordinal);
        Assert.Contains("name: sessionroutes.desktop-operator.io", output, StringComparison.Ordinal);
        Assert.Equal(2, Count(output, "kind: CustomResourceDefinition"));
        Assert.Equal(2, Count(output, "helm.sh/resource-policy: keep"));
    }

    [ToolFact("helm")]
    public async Task HelmTemplate_KeepOff_OmitsTheAnnotation()
    {
        var (exitCode, output) = await Helm.RunAsync("template", "desktop-operator", ChartDir, "--set", "crds.keep=false");

        Assert.True(exitCode == 0, output);
        Assert.Equal(2, Count(output, "kind: CustomResourceDefinition"));
        Assert.DoesNotContain("resource-policy", output, StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task HelmTemplate_KeepOff_RendersExactlyTheCrdsOfTheCrdsFolder()
    {
        var (exitCode, output) = await Helm.RunAsync("template", "desktop-operator", ChartDir, "--set", "crds.keep=false");
        Assert.True(exitCode == 0, output);

        var rendered = ResourceYaml.ReadDocuments(output, "helm template").Select(d => d.Json)
            .Where(d => d?["kind"]?.GetValue<string>() == "CustomResourceDefinition").ToList();
        var committed = Directory.GetFiles(RepositoryPaths.PathOf("crds"), "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => ResourceYaml.ReadDocuments(File.ReadAllText(f), f).Single().Json)
            .ToList();

        Assert.Equal(committed.Count, rendered.Count);
        foreach (var crd in committed)
        {
            Assert.Contains(rendered, r => JsonNode.DeepEquals(r, crd));
        }
    }

    [ToolFact("helm")]
    public async Task HelmTemplate_CrdsDisabled_RendersNoCrd()
    {
        var (exitCode, output) = await Helm.RunAsync("template", "desktop-operator", ChartDir, "--set", "crds.enabled=false");

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("CustomResourceDefinition", output, StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task HelmTemplate_UnknownValue_IsRejectedBySchema()
    {
        var (exitCode, output) = await Helm.RunAsync("template", "desktop-operator", ChartDir, "--set", "crds.enable=false");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("enable", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ValuesSchema_EveryLevel_IsClosedAndEveryLeafTypedDefaultedDescribed()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(ChartDir, "values.schema.json")));
        var problems = new List<string>();
        Walk(schema.RootElement, "$", problems);
        Assert.Empty(problems);
    }

    private static void Walk(JsonElement node, string path, List<string> problems)
    {
        if (node.TryGetProperty("properties", out var properties))
        {
            if (!node.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
            {
                problems.Add($"{path}: additionalProperties is not false");
            }

            foreach (var property in properties.EnumerateObject())
            {
                Walk(property.Value, $"{path}.{property.Name}", problems);
            }

            return;
        }

        foreach (var key in new[] { "type", "default", "description" })
        {
            if (!node.TryGetProperty(key, out _))
            {
                problems.Add($"{path}: no {key}");
            }
        }
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
