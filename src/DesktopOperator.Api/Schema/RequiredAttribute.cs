namespace DesktopOperator.Api.Schema;

/// <summary>The field must be present (schema <c>required</c>; the C# rules reject null or an empty string).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class RequiredAttribute : Attribute;
