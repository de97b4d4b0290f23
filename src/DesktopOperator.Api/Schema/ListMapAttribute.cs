namespace DesktopOperator.Api.Schema;

/// <summary>
/// A list of objects keyed by <see cref="Key"/> (<c>x-kubernetes-list-type: map</c>): server-side apply merges items
/// by key, and the API server rejects two items with the same key. The key field must be required.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ListMapAttribute(string key) : Attribute
{
    /// <summary>The JSON name of the key field.</summary>
    public string Key { get; } = key;
}
