using System.Text.Json.Nodes;
using DesktopOperator.Api.Tests.Support;
using DesktopOperator.Api.Yaml;
using DesktopOperator.Testing;
using DesktopOperator.Testing.Monitoring;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.Api.Tests.Chart;

/// <summary>The chart's optional ServiceMonitor, PrometheusRule and dashboard ConfigMap carry config/'s files unchanged.</summary>
public sealed class MonitoringTemplateTests
{
    private static readonly string ChartDir = RepositoryPaths.PathOf("charts", "desktop-operator");

    [Theory]
    [InlineData("desktop-operator-rules.yaml")]
    [InlineData("desktop-operator.json")]
    public void ChartFiles_EqualConfigFiles(string name)
    {
        var original = name.EndsWith(".json", StringComparison.Ordinal) ? MonitoringFiles.DashboardPath : MonitoringFiles.RulesPath;

        Assert.True(
            File.ReadAllText(original) == File.ReadAllText(Path.Combine(ChartDir, "files", name)),
            $"charts/desktop-operator/files/{name} differs from {Path.GetRelativePath(RepositoryPaths.Root, original)}: copy it over");
    }

    [ToolFact("helm")]
    public async Task HelmTemplate_Defaults_NoMonitoringObjects()
    {
        var (exitCode, output) = await Helm.RunAsync("template", "r", ChartDir);

        Assert.True(exitCode == 0, output);
        Assert.DoesNotContain("kind: ServiceMonitor", output, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: PrometheusRule", output, StringComparison.Ordinal);
        Assert.DoesNotContain("grafana_dashboard", output, StringComparison.Ordinal);
    }

    [ToolFact("helm")]
    public async Task HelmTemplate_MonitoringOn_RulesAndDashboardEqualConfigFiles()
    {
        var (exitCode, output) = await Helm.RunAsync(
            "template", "r", ChartDir, "--namespace", "desk", "--set", "crds.enabled=false",
            "--set", "monitoring.serviceMonitor.enabled=true,monitoring.prometheusRule.enabled=true,monitoring.dashboard.enabled=true",
            "--set", "monitoring.serviceMonitor.labels.release=prom");
        Assert.True(exitCode == 0, output);
        // The monitoring objects, by kind (the chart renders several of other kinds, e.g. two PodDisruptionBudgets).
        var objects = ResourceYaml.ReadDocuments(output, "helm template").Select(d => d.Json!)
            .Where(o => (string?)o["metadata"]!["labels"]?["grafana_dashboard"] is not null || (string)o["kind"]! is "PrometheusRule" or "ServiceMonitor")
            .ToDictionary(o => (string)o["kind"]!);

        var rules = ResourceYaml.ReadDocuments(File.ReadAllText(MonitoringFiles.RulesPath), "rules").Single().Json!;
        Assert.True(JsonNode.DeepEquals(rules["groups"], objects["PrometheusRule"]["spec"]!["groups"]), output);

        var dashboard = JsonNode.Parse(File.ReadAllText(MonitoringFiles.DashboardPath));
        var configMap = objects["ConfigMap"];
        Assert.Equal("1", (string?)configMap["metadata"]!["labels"]!["grafana_dashboard"]);
        Assert.True(JsonNode.DeepEquals(dashboard, JsonNode.Parse((string)configMap["data"]!["desktop-operator.json"]!)), output);

        var monitor = objects["ServiceMonitor"];
        Assert.Equal("prom", (string?)monitor["metadata"]!["labels"]!["release"]);
        Assert.Equal("r", (string?)monitor["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/instance"]);
        Assert.Equal("/metrics", (string?)monitor["spec"]!["endpoints"]![0]!["path"]);
    }

    [ToolFact("helm")]
    public async Task HelmTemplate_BadInterval_SchemaNamesTheField()
    {
        var (exitCode, output) = await Helm.RunAsync("template", "r", ChartDir, "--set", "monitoring.serviceMonitor.interval=soon");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("monitoring/serviceMonitor/interval", output, StringComparison.Ordinal);
    }
}
