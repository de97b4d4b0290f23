namespace DesktopOperator.Api.Schema;

/// <summary>An integer field must lie in [<see cref="Minimum"/>, <see cref="Maximum"/>] (schema <c>minimum</c>/<c>maximum</c>).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class RangeAttribute(long minimum, long maximum) : Attribute
{
    public long Minimum { get; } = minimum;

    public long Maximum { get; } = maximum;
}
