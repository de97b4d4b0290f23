namespace DesktopOperator.Api.Validation;

/// <summary>One rule a resource breaks: the JSON path of the field (<c>spec.capacity.maxHosts</c>) and a plain message.</summary>
public sealed record ValidationError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
