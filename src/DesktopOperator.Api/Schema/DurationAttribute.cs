namespace DesktopOperator.Api.Schema;

/// <summary>
/// A string field holding a Go-style duration (<c>30s</c>, <c>1h30m</c>, <c>500ms</c>); see
/// <see cref="Durations.Duration"/>. The schema gets <see cref="Durations.Duration.Pattern"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class DurationAttribute : Attribute;
