using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace DesktopOperator.Testing.Monitoring;

/// <summary>
/// The alert rules (<c>config/prometheus</c>) and the Grafana dashboard (<c>config/grafana</c>): their PromQL
/// expressions, and the metric names those use, so tests can check them against what the processes export.
/// </summary>
public static partial class MonitoringFiles
{
    public static string RulesPath => RepositoryPaths.PathOf("config", "prometheus", "desktop-operator-rules.yaml");

    public static string RuleTestsPath => RepositoryPaths.PathOf("config", "prometheus", "tests", "desktop-operator-rules.test.yaml");

    public static string DashboardPath => RepositoryPaths.PathOf("config", "grafana", "desktop-operator.json");

    /// <summary>Every alert's name and expression, in file order.</summary>
    public static IReadOnlyList<(string Name, string Expr)> RuleExpressions()
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(RulesPath)))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return
        [
            .. ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>()
                .SelectMany(g => ((YamlSequenceNode)g["rules"]).Cast<YamlMappingNode>())
                .Select(r => (Scalar(r, "alert") ?? Scalar(r, "record") ?? "", Scalar(r, "expr") ?? "")),
        ];
    }

    /// <summary>Every panel target's title and expression, rows' nested panels included.</summary>
    public static IReadOnlyList<(string Panel, string Expr)> DashboardExpressions()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var found = new List<(string, string)>();
        Collect(doc.RootElement.GetProperty("panels"), found);
        return found;
    }

    /// <summary>
    /// A dashboard expression as Prometheus sees it once Grafana has filled in its variables: every pool
    /// (<c>$pool</c> = <c>.*</c>, the dashboard's "All") and a 5-minute <c>$__rate_interval</c>.
    /// </summary>
    public static string Resolve(string expr) =>
        expr.Replace("$__rate_interval", "5m", StringComparison.Ordinal).Replace("$pool", ".*", StringComparison.Ordinal);

    /// <summary>Our metric names an expression uses, histogram series (_bucket, _sum, _count) as their family.</summary>
    public static IReadOnlySet<string> MetricNames(string expr) =>
        OurMetric().Matches(expr).Select(m => HistogramSuffix().Replace(m.Value, "")).ToHashSet(StringComparer.Ordinal);

    /// <summary>The metric families a <c>/metrics</c> text declares (its <c># TYPE</c> lines).</summary>
    public static IReadOnlySet<string> ExportedFamilies(string metricsText) =>
        metricsText.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2]).ToHashSet(StringComparer.Ordinal);

    private static void Collect(JsonElement panels, List<(string, string)> found)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            var title = panel.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            if (panel.TryGetProperty("targets", out var targets))
            {
                found.AddRange(targets.EnumerateArray().Select(target => (title, target.GetProperty("expr").GetString() ?? "")));
            }

            if (panel.TryGetProperty("panels", out var nested))
            {
                Collect(nested, found);
            }
        }
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    [GeneratedRegex(@"\b(?:gateway|operator|controller_runtime|workqueue)_[a-z0-9_]+")]
    private static partial Regex OurMetric();

    [GeneratedRegex(@"_(?:bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}
