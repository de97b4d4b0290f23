using System.Globalization;
using System.Text;

namespace DesktopOperator.Testing.Schema;

/// <summary>
/// Parses CEL (the grammar of the CEL spec, without bytes, uint and map/struct literals) into <see cref="CelExpr"/>,
/// expanding the macros <c>has</c>, <c>all</c>, <c>exists</c>, <c>exists_one</c>, <c>map</c> and <c>filter</c> as
/// cel-go does. A syntax error throws <see cref="CelSyntaxException"/> with the 0-based position.
/// </summary>
internal sealed class CelParser
{
    private static readonly string[] Relations = ["==", "!=", "<=", ">=", "<", ">"];
    private static readonly HashSet<string> Macros = ["all", "exists", "exists_one", "map", "filter"];
    private readonly string _text;
    private int _pos;

    private CelParser(string text) => _text = text;

    public static CelExpr Parse(string text)
    {
        var parser = new CelParser(text);
        var expr = parser.Expression();
        parser.SkipSpace();
        if (parser._pos < text.Length)
        {
            throw parser.Error($"extraneous input '{text[parser._pos]}'");
        }

        return expr;
    }

    private CelExpr Expression()
    {
        var cond = Or();
        var at = _pos;
        if (!Eat("?"))
        {
            return cond;
        }

        var whenTrue = Or();
        Expect(":");
        var whenFalse = Expression();
        return new CelCall(at, "_?_:_", null, [cond, whenTrue, whenFalse]);
    }

    private CelExpr Or() => Binary(And, "||");

    private CelExpr And() => Binary(Relation, "&&");

    private CelExpr Binary(Func<CelExpr> next, string op)
    {
        var left = next();
        while (true)
        {
            SkipSpace();
            var at = _pos;
            if (!Eat(op))
            {
                return left;
            }

            left = new CelCall(at, $"_{op}_", null, [left, next()]);
        }
    }

    private CelExpr Relation()
    {
        var left = Additive();
        while (true)
        {
            SkipSpace();
            var at = _pos;
            var op = Relations.FirstOrDefault(r => Peek(r) && !(r is "<" or ">" && Peek(r + "=")));
            if (op is null && PeekWord("in"))
            {
                op = "in";
            }

            if (op is null)
            {
                return left;
            }

            _pos += op.Length;
            left = new CelCall(at, op == "in" ? "@in" : $"_{op}_", null, [left, Additive()]);
        }
    }

    private CelExpr Additive() => Arithmetic(Multiplicative, "+", "-");

    private CelExpr Multiplicative() => Arithmetic(Unary, "*", "/", "%");

    private CelExpr Arithmetic(Func<CelExpr> next, params string[] ops)
    {
        var left = next();
        while (true)
        {
            SkipSpace();
            var at = _pos;
            var op = ops.FirstOrDefault(o => Peek(o) && !Peek(o + "="));
            if (op is null)
            {
                return left;
            }

            _pos++;
            left = new CelCall(at, $"_{op}_", null, [left, next()]);
        }
    }

    private CelExpr Unary()
    {
        SkipSpace();
        var at = _pos;
        if (Peek("!") && !Peek("!="))
        {
            _pos++;
            return new CelCall(at, "!_", null, [Unary()]);
        }

        if (Peek("-") && !(_pos + 1 < _text.Length && char.IsDigit(_text[_pos + 1])))
        {
            _pos++;
            return new CelCall(at, "-_", null, [Unary()]);
        }

        return Member();
    }

    private CelExpr Member()
    {
        var expr = Primary();
        while (true)
        {
            SkipSpace();
            var at = _pos;
            if (Eat("."))
            {
                var name = Identifier();
                SkipSpace();
                if (!Eat("("))
                {
                    expr = new CelSelect(at, expr, name, false);
                    continue;
                }

                var args = Arguments();
                expr = Macros.Contains(name) && args.Count == 2 && args[0] is CelIdent variable
                    ? new CelComprehension(at, name, expr, variable.Name, args[1])
                    : new CelCall(at, name, expr, args);
            }
            else if (Eat("["))
            {
                var index = Expression();
                Expect("]");
                expr = new CelCall(at, "_[_]", null, [expr, index]);
            }
            else
            {
                return expr;
            }
        }
    }

    private CelExpr Primary()
    {
        SkipSpace();
        var at = _pos;
        if (_pos >= _text.Length)
        {
            throw Error("mismatched input '<EOF>' expecting an expression");
        }

        var c = _text[_pos];
        if (Eat("("))
        {
            var inner = Expression();
            Expect(")");
            return inner;
        }

        if (Eat("["))
        {
            var elements = new List<CelExpr>();
            if (!Eat("]"))
            {
                do
                {
                    elements.Add(Expression());
                }
                while (Eat(","));
                Expect("]");
            }

            return new CelList(at, elements);
        }

        if (c is '\'' or '"')
        {
            return new CelLiteral(at, StringLiteral());
        }

        if (char.IsDigit(c) || (c == '-' && _pos + 1 < _text.Length && char.IsDigit(_text[_pos + 1])))
        {
            return NumberLiteral();
        }

        if (!(char.IsLetter(c) || c == '_'))
        {
            throw Error($"token recognition error at: '{c}'");
        }

        var name = Identifier();
        switch (name)
        {
            case "true" or "false":
                return new CelLiteral(at, name == "true");
            case "null":
                return new CelLiteral(at, null);
        }

        SkipSpace();
        if (!Eat("("))
        {
            return new CelIdent(at, name);
        }

        var args = Arguments();
        if (name == "has")
        {
            return args is [CelSelect select]
                ? select with { TestOnly = true }
                : throw new CelSyntaxException(at, "invalid argument to has() macro");
        }

        return new CelCall(at, name, null, args);
    }

    private List<CelExpr> Arguments()
    {
        var args = new List<CelExpr>();
        if (Eat(")"))
        {
            return args;
        }

        do
        {
            args.Add(Expression());
        }
        while (Eat(","));
        Expect(")");
        return args;
    }

    private string StringLiteral()
    {
        var quote = _text[_pos++];
        var value = new StringBuilder();
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\' && _pos + 1 < _text.Length)
            {
                _pos++;
            }

            value.Append(_text[_pos++]);
        }

        if (_pos >= _text.Length)
        {
            throw Error("token recognition error: unterminated string literal");
        }

        _pos++;
        return value.ToString();
    }

    private CelLiteral NumberLiteral()
    {
        var at = _pos;
        _pos++;
        while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] == '.'))
        {
            _pos++;
        }

        var text = _text[at.._pos];
        return text.Contains('.', StringComparison.Ordinal)
            ? new CelLiteral(at, double.Parse(text, CultureInfo.InvariantCulture))
            : new CelLiteral(at, long.Parse(text, CultureInfo.InvariantCulture));
    }

    private string Identifier()
    {
        SkipSpace();
        var start = _pos;
        while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] == '_'))
        {
            _pos++;
        }

        return _pos > start && !char.IsDigit(_text[start])
            ? _text[start.._pos]
            : throw Error(_pos < _text.Length ? $"mismatched input '{_text[_pos]}' expecting IDENTIFIER" : "mismatched input '<EOF>' expecting IDENTIFIER");
    }

    private bool Peek(string token) => string.CompareOrdinal(_text, _pos, token, 0, token.Length) == 0;

    private bool PeekWord(string word) =>
        Peek(word) && (_pos + word.Length >= _text.Length || !char.IsLetterOrDigit(_text[_pos + word.Length]));

    private bool Eat(string token)
    {
        SkipSpace();
        if (!Peek(token))
        {
            return false;
        }

        _pos += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!Eat(token))
        {
            throw Error(_pos < _text.Length ? $"mismatched input '{_text[_pos]}' expecting '{token}'" : $"mismatched input '<EOF>' expecting '{token}'");
        }
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private CelSyntaxException Error(string message) => new(_pos, "Syntax error: " + message);
}
