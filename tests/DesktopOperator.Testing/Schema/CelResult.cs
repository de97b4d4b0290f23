namespace DesktopOperator.Testing.Schema;

/// <summary>Outcome of a rule: true/false, or null with <see cref="Error"/> (runtime error) or without (skipped).</summary>
public sealed record CelResult(bool? Value, string? Error);
