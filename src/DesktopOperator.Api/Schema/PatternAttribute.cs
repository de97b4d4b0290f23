namespace DesktopOperator.Api.Schema;

/// <summary>
/// A string field must match <see cref="Pattern"/>. The pattern is written once and used by both the schema (RE2 on
/// the API server) and the C# rules (.NET), so it keeps to the syntax both share: no lookaround, no backreferences.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class PatternAttribute(string pattern, string explanation) : Attribute
{
    public string Pattern { get; } = pattern;

    /// <summary>What the pattern means, for the C# error message (e.g. "a DNS-1123 label").</summary>
    public string Explanation { get; } = explanation;
}
