namespace DesktopOperator.Api.Schema;

/// <summary>A list of unique scalars (<c>x-kubernetes-list-type: set</c>); the API server rejects duplicates.</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ListSetAttribute : Attribute;
