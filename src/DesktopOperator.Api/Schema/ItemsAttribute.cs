namespace DesktopOperator.Api.Schema;

/// <summary>
/// Bounds a list's size (schema <c>minItems</c>/<c>maxItems</c>). A list a CEL rule iterates needs a
/// <c>maxItems</c>, or the API server's cost estimate rejects the rule.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ItemsAttribute(int minItems, int maxItems) : Attribute
{
    public int MinItems { get; } = minItems;

    public int MaxItems { get; } = maxItems;
}
