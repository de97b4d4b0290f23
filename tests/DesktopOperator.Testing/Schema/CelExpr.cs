namespace DesktopOperator.Testing.Schema;

/// <summary>A parsed CEL expression (the syntax tree <see cref="CelParser"/> builds); <c>Position</c> is 0-based.</summary>
internal abstract record CelExpr(int Position);

/// <summary>A literal: <c>long</c>, <c>double</c>, <c>string</c>, <c>bool</c> or null.</summary>
internal sealed record CelLiteral(int Position, object? Value) : CelExpr(Position);

internal sealed record CelIdent(int Position, string Name) : CelExpr(Position);

/// <summary><c>operand.field</c>, or <c>has(operand.field)</c> when <paramref name="TestOnly"/>.</summary>
internal sealed record CelSelect(int Position, CelExpr Operand, string Field, bool TestOnly) : CelExpr(Position);

/// <summary>A function or operator call (<c>_==_</c>, <c>_&amp;&amp;_</c>, <c>!_</c>, <c>_?_:_</c>, <c>size</c> ...), with a target for the method form.</summary>
internal sealed record CelCall(int Position, string Function, CelExpr? Target, IReadOnlyList<CelExpr> Args) : CelExpr(Position);

internal sealed record CelList(int Position, IReadOnlyList<CelExpr> Elements) : CelExpr(Position);

/// <summary>A macro over a list or map: <c>all</c>, <c>exists</c>, <c>exists_one</c>, <c>map</c>, <c>filter</c>.</summary>
internal sealed record CelComprehension(int Position, string Macro, CelExpr Range, string Variable, CelExpr Body) : CelExpr(Position);
