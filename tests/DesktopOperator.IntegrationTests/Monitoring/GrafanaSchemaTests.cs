using System.Text.Json;
using System.Text.Json.Nodes;
using DesktopOperator.Testing;
using DesktopOperator.Testing.Monitoring;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.IntegrationTests.Monitoring;

/// <summary>
/// The dashboard against Grafana's published dashboard schema: the npm package <c>@grafana/schema</c> carries it as
/// TypeScript types, so the dashboard JSON becomes an object literal typed <c>Dashboard</c> and <c>tsc --strict</c>
/// checks it — every field known (excess-property check), every value of the declared type. Both are installed by
/// <c>.ci/install-tools</c> into <c>.tools/</c>.
/// </summary>
public sealed class GrafanaSchemaTests : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(120);
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("grafana-schema-");

    [ToolFact("tsc", "node")]
    public async Task Dashboard_ConformsToGrafanasPublishedSchema()
    {
        var result = await CheckAsync(File.ReadAllText(MonitoringFiles.DashboardPath));

        Assert.True(result.Succeeded, result.ToString());
    }

    [ToolFact("tsc", "node")]
    public async Task SchemaCheck_RefusesAnUnknownPanelFieldAndAValueOfTheWrongType()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(MonitoringFiles.DashboardPath))!;
        var panel = dashboard["panels"]!.AsArray().First(p => (string?)p!["type"] != "row")!;
        panel["gridPoz"] = new JsonObject();
        dashboard["refresh"] = 30;

        var result = await CheckAsync(dashboard.ToJsonString());

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains("'\"gridPoz\"' does not exist in type 'Panel", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Type 'number' is not assignable to type 'string'", result.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Delete(recursive: true);

    private async Task<ProcessResult> CheckAsync(string dashboardJson)
    {
        var types = RepositoryPaths.PathOf(".tools", "grafana-schema", "node_modules", "@grafana", "schema", "dist", "types", "index.d.ts");
        Assert.True(File.Exists(types), $"{types} not found: run .ci/install-tools");

        File.WriteAllText(
            Path.Combine(_temp.FullName, "dashboard.ts"),
            $"import type {{ Dashboard }} from '@grafana/schema';\nexport const dashboard: Dashboard = {dashboardJson};\n");
        var config = new JsonObject
        {
            ["compilerOptions"] = new JsonObject
            {
                ["strict"] = true,
                ["noEmit"] = true,
                ["target"] = "es2022",
                ["module"] = "esnext",
                ["moduleResolution"] = "bundler",
                ["skipLibCheck"] = true,
                ["paths"] = new JsonObject { ["@grafana/schema"] = new JsonArray(types) },
            },
            ["files"] = new JsonArray("dashboard.ts"),
        };
        File.WriteAllText(Path.Combine(_temp.FullName, "tsconfig.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var result = await ProcessRunner.RunAsync(
            ExternalTools.Require("tsc"), ["--project", "tsconfig.json", "--pretty", "false"], ToolTimeout, CancellationToken.None, workingDirectory: _temp.FullName);
        Assert.False(result.TimedOut, result.ToString());
        return result;
    }
}
