using System.Reflection;
using DesktopOperator.Api.Schema;
using DesktopOperator.Api.V1Alpha1;

namespace DesktopOperator.Api.Tests.Validation;

/// <summary>
/// Every CEL rule in the schema must have its C# twin in the validators, with a test that breaks it. This table ties
/// each rule to that test: adding a [CelRule] without a C# rule and a test fails here.
/// </summary>
public sealed class CelRuleCoverageTests
{
    private static readonly Dictionary<string, (Type Tests, string Method)> Twins = new()
    {
        ["has(self.template) ? !has(self.staticHosts) : has(self.staticHosts)"] = (typeof(DesktopPoolValidatorTests), nameof(DesktopPoolValidatorTests.Validate_TemplateAndStaticHosts_ReportsBoth)),
        ["!has(self.healthCheck.protocol) || self.protocols.exists(p, p.name == self.healthCheck.protocol)"] =
            (typeof(DesktopPoolValidatorTests), nameof(DesktopPoolValidatorTests.Validate_HealthCheckProtocolUnknown_ReportsProtocol)),
        ["self.all(h, self.exists_one(g, g.name == h.name))"] = (typeof(DesktopPoolValidatorTests), nameof(DesktopPoolValidatorTests.Validate_DuplicateStaticHostNames_ReportsDuplicate)),
        ["self.all(p, self.exists_one(q, q.name == p.name))"] = (typeof(DesktopPoolProtocolValidationTests), nameof(DesktopPoolProtocolValidationTests.Validate_DuplicateProtocolNames_ReportsDuplicate)),
        ["self.all(p, !has(p.gatewayPort) || self.exists_one(q, has(q.gatewayPort) && q.gatewayPort == p.gatewayPort))"] =
            (typeof(DesktopPoolProtocolValidationTests), nameof(DesktopPoolProtocolValidationTests.Validate_DuplicateGatewayPorts_ReportsPort)),
        ["self.kind == 'Http' || has(self.gatewayPort)"] = (typeof(DesktopPoolProtocolValidationTests), nameof(DesktopPoolProtocolValidationTests.Validate_TcpKindWithoutGatewayPort_ReportsRequired)),
        ["self.kind != 'Http' || !has(self.gatewayPort)"] = (typeof(DesktopPoolProtocolValidationTests), nameof(DesktopPoolProtocolValidationTests.Validate_HttpWithGatewayPort_ReportsNotAllowed)),
        ["self.kind != 'Http' || has(self.path) || has(self.hostname)"] = (typeof(DesktopPoolProtocolValidationTests), nameof(DesktopPoolProtocolValidationTests.Validate_HttpWithoutPathOrHostname_ReportsNeeded)),
        ["self.kind == 'Http' || (!has(self.path) && !has(self.hostname))"] = (typeof(DesktopPoolProtocolValidationTests), nameof(DesktopPoolProtocolValidationTests.Validate_TcpKindWithPath_ReportsHttpOnly)),
        ["self.kind != 'Http' || self.proxyProtocol == 'None'"] = (typeof(DesktopPoolProtocolValidationTests), nameof(DesktopPoolProtocolValidationTests.Validate_HttpWithProxyProtocol_ReportsTcpOnly)),
        ["self.minHosts <= self.maxHosts"] = (typeof(DesktopPoolValidatorTests), nameof(DesktopPoolValidatorTests.Validate_MinHostsAboveMaxHosts_ReportsMaxHosts)),
        ["duration(self.timeout) <= duration(self.interval)"] = (typeof(DesktopPoolValidatorTests), nameof(DesktopPoolValidatorTests.Validate_TimeoutAboveInterval_ReportsTimeout)),
        ["self.security != 'VncAuth' || has(self.passwordFile)"] = (typeof(VncHealthCheckValidationTests), nameof(VncHealthCheckValidationTests.Validate_VncAuthWithoutPasswordFile_ReportsPasswordFile)),
        ["self.security != 'None' || !has(self.passwordFile)"] = (typeof(VncHealthCheckValidationTests), nameof(VncHealthCheckValidationTests.Validate_NoneWithPasswordFile_ReportsPasswordFile)),
        ["self.kind == 'Vnc' || !has(self.clientLockout)"] = (typeof(VncHealthCheckValidationTests), nameof(VncHealthCheckValidationTests.Validate_ClientLockoutOnSsh_ReportsVncOnly)),
        ["self == oldSelf"] = (typeof(SessionRouteValidatorTests), nameof(SessionRouteValidatorTests.ValidateUpdate_PoolChanged_ReportsImmutable)),
    };

    [Fact]
    public void CelRules_Every_HasACSharpTwinWithATest()
    {
        var rules = typeof(DesktopPool).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(DesktopPool).Namespace)
            .SelectMany(t => t.GetCustomAttributes<CelRuleAttribute>()
                .Concat(t.GetProperties().SelectMany(p => p.GetCustomAttributes<CelRuleAttribute>())))
            .Select(r => r.Rule)
            .Distinct()
            .ToList();

        Assert.NotEmpty(rules);
        var untwinned = rules.Where(r => !Twins.ContainsKey(r)).ToList();
        Assert.True(untwinned.Count == 0, "CEL rules without a C# rule and test listed here: " + string.Join(" ; ", untwinned));
        var stale = Twins.Keys.Where(r => !rules.Contains(r)).ToList();
        Assert.True(stale.Count == 0, "Listed here but no longer in the schema: " + string.Join(" ; ", stale));
        foreach (var (tests, method) in Twins.Values)
        {
            Assert.NotNull(tests.GetMethod(method)?.GetCustomAttribute<FactAttribute>());
        }
    }
}
