namespace DesktopOperator.Api.Schema;

/// <summary>The short names and categories of a custom resource (<c>kubectl get dp</c>, <c>kubectl get desktop-operator</c>).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ResourceNamesAttribute(string singular, string shortName, string category) : Attribute
{
    public string Singular { get; } = singular;

    public string ShortName { get; } = shortName;

    public string Category { get; } = category;
}
