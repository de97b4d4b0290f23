namespace DesktopOperator.Testing.Schema;

/// <summary>
/// What compiling one rule gives: an error in cel-go's words (null when it compiled), the estimated cost of one
/// evaluation, and whether it is a transition rule (reads <c>oldSelf</c>).
/// </summary>
internal sealed record CelCompilation(string? Error, ulong Cost, bool TransitionRule);
