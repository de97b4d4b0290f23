namespace DesktopOperator.Api.Schema;

/// <summary>
/// A CEL rule (<c>x-kubernetes-validations</c>) the API server evaluates with <c>self</c> bound to the annotated
/// object (on a class) or field (on a property). The message starts with the field it is about (e.g.
/// <c>spec.capacity: minHosts must not exceed maxHosts</c>): there is no <c>fieldPath</c>, which only Kubernetes 1.28+
/// knows and which kubectl's client-side validation and Helm's server-side apply refuse on older servers. The C#
/// validators implement the same rule by hand, with a message that may add the values involved; a test (CelRuleCoverageTests) fails for a rule without a C# twin and its test.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, Inherited = false, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;
}
