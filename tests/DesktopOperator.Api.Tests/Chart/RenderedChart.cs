using System.Text.Json.Nodes;
using DesktopOperator.Api.Tests.Support;
using DesktopOperator.Api.Yaml;
using DesktopOperator.Testing;

namespace DesktopOperator.Api.Tests.Chart;

/// <summary>The objects <c>helm template</c> renders from the chart for some <c>--set</c> values, parsed.</summary>
internal sealed class RenderedChart
{
    public const string Release = "desk";

    public const string Namespace = "desktops-system";

    public static readonly string ChartDir = RepositoryPaths.PathOf("charts", "desktop-operator");

    private RenderedChart(IReadOnlyList<JsonObject> objects) => Objects = objects;

    public IReadOnlyList<JsonObject> Objects { get; }

    /// <summary>Renders with release <see cref="Release"/> in namespace <see cref="Namespace"/>; each value is one <c>--set</c>.</summary>
    public static async Task<RenderedChart> RenderAsync(params string[] values)
    {
        var arguments = new List<string> { "template", Release, ChartDir, "--namespace", Namespace };
        foreach (var value in values)
        {
            arguments.AddRange(["--set", value]);
        }

        var (exitCode, output) = await Helm.RunAsync([.. arguments]);
        Assert.True(exitCode == 0, output);
        return new RenderedChart([.. ResourceYaml.ReadDocuments(output, "helm template").Select(d => d.Json!.AsObject())]);
    }

    /// <summary>
    /// The chart's NOTES.txt as <c>helm install</c> prints it, for some <c>--set</c> values. <c>helm template</c> never
    /// renders NOTES.txt, so this is a client-side dry run (no cluster is contacted).
    /// </summary>
    public static async Task<string> RenderNotesAsync(params string[] values)
    {
        var arguments = new List<string> { "install", Release, ChartDir, "--namespace", Namespace, "--dry-run=client" };
        foreach (var value in values)
        {
            arguments.AddRange(["--set", value]);
        }

        var (exitCode, output) = await Helm.RunAsync([.. arguments]);
        Assert.True(exitCode == 0, output);
        var notes = output.IndexOf("\nNOTES:\n", StringComparison.Ordinal);
        Assert.True(notes >= 0, output);
        return output[(notes + "\nNOTES:\n".Length)..];
    }

    public IReadOnlyList<JsonObject> OfKind(string kind) => [.. Objects.Where(o => Kind(o) == kind)];

    public JsonObject Single(string kind, string name) => Objects.Single(o => Kind(o) == kind && Name(o) == name);

    public JsonObject Deployment(string component) => Single("Deployment", $"{Release}-desktop-operator-{component}");

    public static string Kind(JsonNode o) => o["kind"]!.GetValue<string>();

    public static string Name(JsonNode o) => o["metadata"]!["name"]!.GetValue<string>();

    public static string? NamespaceOf(JsonNode o) => o["metadata"]!["namespace"]?.GetValue<string>();

    /// <summary>The containers of a Deployment's pod template.</summary>
    public static IReadOnlyList<JsonObject> Containers(JsonObject deployment) =>
        [.. deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!.AsObject())];

    public static IReadOnlyList<string> Args(JsonObject container) => [.. container["args"]!.AsArray().Select(a => a!.GetValue<string>())];
}
