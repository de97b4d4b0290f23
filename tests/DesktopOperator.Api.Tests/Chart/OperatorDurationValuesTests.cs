using System.Text.Json;
using System.Text.RegularExpressions;
using DesktopOperator.Api.Durations;
using DesktopOperator.Api.Tests.Support;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Api.Tests.Chart;

/// <summary>
/// The operator's duration values (<c>operator.poolDeletionGrace</c>, <c>operator.maxDrainTime</c>): passed as flags,
/// and the schema refuses what the operator would refuse at start (it would exit 2 and the pod crash-loop).
/// </summary>
public sealed class OperatorDurationValuesTests
{
    // What the operator's flags accept: Duration.TryParse and more than 0. Sub-100 ns values (1ns) pass the schema but
    // round to 0 in the operator; nobody writes them.
    public static TheoryData<string, bool> Samples() => new()
    {
        { "1h", true },
        { "30m", true },
        { "1h30m", true },
        { "1.5h", true },
        { "500ms", true },
        { "0h10m", true },
        { "0.5s", true },
        { "0", false },
        { "0s", false },
        { "0h0m", false },
        { "0.0s", false },
        { "2d", false },
        { "1µs", false },
        { "-1h", false },
        { "1 h", false },
        { "h", false },
        { "1.h", false },
        { "", false },
    };

    [ToolFact("helm")]
    public async Task HelmTemplate_Defaults_PassesPoolDeletionGraceOf1h()
    {
        var chart = await RenderedChart.RenderAsync();

        var args = RenderedChart.Args(RenderedChart.Containers(chart.Deployment("operator")).Single());
        Assert.Contains("--pool-deletion-grace=1h", args);
    }

    [ToolFact("helm")]
    public async Task HelmTemplate_PoolDeletionGraceSet_PassesTheValue()
    {
        var chart = await RenderedChart.RenderAsync("operator.poolDeletionGrace=2h30m");

        var args = RenderedChart.Args(RenderedChart.Containers(chart.Deployment("operator")).Single());
        Assert.Contains("--pool-deletion-grace=2h30m", args);
        Assert.Single(args, a => a.StartsWith("--pool-deletion-grace", StringComparison.Ordinal));
    }

    [ToolTheory("helm")]
    [InlineData("template", "2d", "does not match pattern")]
    [InlineData("template", "0s", "does not match pattern '[1-9]'")]
    [InlineData("lint", "1µs", "does not match pattern")]
    [InlineData("lint", "0", "does not match pattern '[1-9]'")]
    public async Task Helm_BadPoolDeletionGrace_RefusedWithTheSchemaErrorNamingTheValue(string verb, string value, string why)
    {
        string[] arguments = verb == "lint"
            ? ["lint", RenderedChart.ChartDir, "--strict", "--set-string", $"operator.poolDeletionGrace={value}"]
            : ["template", "d", RenderedChart.ChartDir, "--set-string", $"operator.poolDeletionGrace={value}"];

        var (exitCode, output) = await Helm.RunAsync(arguments);

        Assert.True(exitCode != 0, output);
        Assert.Contains("/operator/poolDeletionGrace", output, StringComparison.Ordinal);
        Assert.Contains($"'{value}' {why}", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void ValuesSchema_PoolDeletionGrace_AcceptsWhatTheOperatorAccepts(string value, bool operatorAccepts)
    {
        Assert.Equal(operatorAccepts, OperatorAccepts(value));
        Assert.Equal(operatorAccepts, SchemaAccepts("poolDeletionGrace", value));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void ValuesSchema_MaxDrainTime_AcceptsWhatTheOperatorAcceptsOrEmpty(string value, bool operatorAccepts)
    {
        // Empty means "no --max-drain-time" (the template leaves the flag out).
        Assert.Equal(operatorAccepts || value.Length == 0, SchemaAccepts("maxDrainTime", value));
    }

    private static bool OperatorAccepts(string value) => Duration.TryParse(value, out var parsed) && parsed > TimeSpan.Zero;

    // The patterns in the schema are plain regular expressions (no look-around): .NET and Helm's Go engine agree on them.
    private static bool SchemaAccepts(string property, string value)
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(RenderedChart.ChartDir, "values.schema.json")));
        var node = schema.RootElement.GetProperty("properties").GetProperty("operator").GetProperty("properties").GetProperty(property);
        var patterns = node.GetProperty("allOf").EnumerateArray().Select(p => p.GetProperty("pattern").GetString()!).ToList();
        Assert.NotEmpty(patterns);
        return patterns.All(p => Regex.IsMatch(value, p, RegexOptions.None, TimeSpan.FromSeconds(5)));
    }
}
