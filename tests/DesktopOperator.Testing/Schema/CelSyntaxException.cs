namespace DesktopOperator.Testing.Schema;

/// <summary>A CEL rule that does not parse or type-check; <see cref="Position"/> is 0-based.</summary>
internal sealed class CelSyntaxException(int position, string message) : Exception(message)
{
    public int Position { get; } = position;
}
