using System.Text.Json;
using DesktopOperator.Testing.Monitoring;
using DesktopOperator.Testing.Processes;

namespace DesktopOperator.IntegrationTests.Monitoring;

/// <summary>
/// The alert rules and the Grafana dashboard in <c>config/</c>: promtool accepts every expression, the rules' unit
/// tests pass, and the dashboard has what its users filter by. (That every metric they use is exported is checked
/// against the real processes: OperatorProcessTests and the standalone gateway's end-to-end test.)
/// </summary>
public sealed class MonitoringConfigTests : IDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("monitoring-");

    [ToolFact("promtool")]
    public async Task Rules_PromtoolCheckRules_Pass()
    {
        var result = await ProcessRunner.RunAsync(ExternalTools.Require("promtool"), ["check", "rules", MonitoringFiles.RulesPath], ToolTimeout, CancellationToken.None);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains($"SUCCESS: {MonitoringFiles.RuleExpressions().Count} rules found", result.Stdout, StringComparison.Ordinal);
    }

    [ToolFact("promtool")]
    public async Task Rules_PromtoolUnitTests_EveryAlertFiresAndStaysQuiet()
    {
        var tests = File.ReadAllText(MonitoringFiles.RuleTestsPath);

        var result = await ProcessRunner.RunAsync(ExternalTools.Require("promtool"), ["test", "rules", MonitoringFiles.RuleTestsPath], ToolTimeout, CancellationToken.None);

        Assert.True(result.Succeeded, result.ToString());
        foreach (var (alert, _) in MonitoringFiles.RuleExpressions())
        {
            // Each alert is evaluated once with no alert expected and once with one (exp_labels) expected.
            var cases = tests.Split($"alertname: {alert}\n").Skip(1).Select(c => c.TrimStart()).ToList();
            Assert.Contains(cases, c => c.StartsWith("exp_alerts: []", StringComparison.Ordinal));
            Assert.Contains(cases, c => c.StartsWith("exp_alerts:\n", StringComparison.Ordinal) && c.Contains("exp_labels", StringComparison.Ordinal));
        }
    }

    [ToolFact("promtool")]
    public async Task Dashboard_EveryExpressionPassesPromtoolCheckRules()
    {
        var expressions = MonitoringFiles.DashboardExpressions();
        var rules = Path.Combine(_temp.FullName, "dashboard-rules.yaml");
        File.WriteAllText(rules, "groups:\n- name: dashboard\n  rules:\n" + string.Concat(expressions.Select((e, i) =>
            $"  - record: dashboard:expr{i}\n    expr: {JsonSerializer.Serialize(MonitoringFiles.Resolve(e.Expr))}\n")));

        var result = await ProcessRunner.RunAsync(ExternalTools.Require("promtool"), ["check", "rules", rules], ToolTimeout, CancellationToken.None);

        Assert.True(result.Succeeded, result + "\n" + File.ReadAllText(rules));
        Assert.Contains($"SUCCESS: {expressions.Count} rules found", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_HasPoolVariableAndThePanelsItPromises()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(MonitoringFiles.DashboardPath));
        var variables = doc.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal("label_values(operator_pool_hosts, pool)", variables["pool"].GetProperty("query").GetProperty("query").GetString());
        Assert.Equal("datasource", variables["datasource"].GetProperty("type").GetString());
        var expressions = MonitoringFiles.DashboardExpressions();
        var used = expressions.SelectMany(e => MonitoringFiles.MetricNames(e.Expr)).ToHashSet();
        string[] promised =
        [
            "operator_pool_max_slots", "operator_pool_slots", "operator_pool_free_slots", "operator_pool_hosts", "operator_pool_sessions",
            "gateway_connections_active", "gateway_connections_total", "gateway_bytes_total", "gateway_routing_decisions_total",
            "gateway_host_health_transitions_total", "controller_runtime_reconcile_time_seconds", "workqueue_depth", "operator_leader",
        ];
        Assert.Empty(promised.Except(used));
        // Every per-pool panel follows the pool variable.
        Assert.All(expressions.Where(e => e.Expr.Contains("operator_pool_", StringComparison.Ordinal) || e.Expr.Contains("gateway_", StringComparison.Ordinal)),
            e => Assert.Contains("$pool", e.Expr, StringComparison.Ordinal));
    }

    public void Dispose() => _temp.Delete(recursive: true);
}
