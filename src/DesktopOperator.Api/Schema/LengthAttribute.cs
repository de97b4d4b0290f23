namespace DesktopOperator.Api.Schema;

/// <summary>
/// Bounds a string's length (schema <c>minLength</c>/<c>maxLength</c>). Every string a CEL rule reads needs a
/// <c>maxLength</c>, or the API server's cost estimate rejects the rule.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class LengthAttribute(int minLength, int maxLength) : Attribute
{
    public int MinLength { get; } = minLength;

    public int MaxLength { get; } = maxLength;
}
