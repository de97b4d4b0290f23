using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.Schema;

/// <summary>
/// A deliberately tiny subset of CEL for <c>x-kubernetes-validations</c>: field access on <c>self</c>
/// (<c>self.a.b</c>), <c>has(self.x)</c>, <c>size(...)</c>, int/string/bool literals, <c>== != &lt; &lt;= &gt; &gt;=</c>,
/// <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>?:</c> and parentheses. A rule outside the subset evaluates to "skipped"
/// (<see cref="CelResult.Value"/> null) rather than failing, and that gap is listed in KNOWN-DIFFERENCES.md.
/// </summary>
public static class CelLite
{
    public static CelResult Evaluate(string rule, JsonNode? self)
    {
        try
        {
            var parser = new Parser(rule, self);
            var value = parser.ParseTernary();
            parser.ExpectEnd();
            return value is bool b ? new CelResult(b, null) : new CelResult(null, null);
        }
        catch (NoSuchKeyException e)
        {
            return new CelResult(null, $"no such key: {e.Message}");
        }
        catch (NotSupportedException)
        {
            return new CelResult(null, null);
        }
    }

    private sealed class NoSuchKeyException(string key) : Exception(key);

    private sealed class Parser(string text, JsonNode? self)
    {
        private int _pos;

        // > 0 while parsing the side of && / || that short-circuit evaluation never reaches: missing keys are no error there.
        private int _skip;

        public void ExpectEnd()
        {
            SkipSpace();
            if (_pos != text.Length)
            {
                throw new NotSupportedException();
            }
        }

        public object? ParseTernary()
        {
            var cond = ParseOr();
            if (!Eat("?"))
            {
                return cond;
            }

            var a = ParseTernary();
            if (!Eat(":"))
            {
                throw new NotSupportedException();
            }

            var b = ParseTernary();
            return cond is true ? a : b;
        }

        private object? ParseOr()
        {
            var left = ParseAnd();
            while (Eat("||"))
            {
                var skip = left is true;
                _skip += skip ? 1 : 0;
                var right = ParseAnd();
                _skip -= skip ? 1 : 0;
                left = left is true || right is true;
            }

            return left;
        }

        private object? ParseAnd()
        {
            var left = ParseCompare();
            while (Eat("&&"))
            {
                var skip = left is not true;
                _skip += skip ? 1 : 0;
                var right = ParseCompare();
                _skip -= skip ? 1 : 0;
                left = left is true && right is true;
            }

            return left;
        }

        private object? ParseCompare()
        {
            var left = ParseUnary();
            foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
            {
                if (Eat(op))
                {
                    var right = ParseUnary();
                    return Compare(left, right, op);
                }
            }

            return left;
        }

        private object? ParseUnary()
        {
            if (Eat("!"))
            {
                return ParseUnary() is not true;
            }

            if (Eat("("))
            {
                var inner = ParseTernary();
                Expect(")");
                return inner;
            }

            if (EatWord("has"))
            {
                Expect("(");
                var present = Path(optional: true) is not Missing;
                Expect(")");
                return present;
            }

            if (EatWord("size"))
            {
                Expect("(");
                var v = ParseTernary();
                Expect(")");
                return v switch
                {
                    string s => (long)s.Length,
                    JsonArray a => (long)a.Count,
                    JsonObject o => (long)o.Count,
                    Missing => 0L,
                    _ => throw new NotSupportedException(),
                };
            }

            if (EatWord("true"))
            {
                return true;
            }

            if (EatWord("false"))
            {
                return false;
            }

            SkipSpace();
            if (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '-'))
            {
                var start = _pos++;
                while (_pos < text.Length && char.IsDigit(text[_pos]))
                {
                    _pos++;
                }

                return long.Parse(text[start.._pos], CultureInfo.InvariantCulture);
            }

            if (_pos < text.Length && text[_pos] is '\'' or '"')
            {
                var quote = text[_pos++];
                var start = _pos;
                while (_pos < text.Length && text[_pos] != quote)
                {
                    _pos++;
                }

                var s = text[start.._pos];
                _pos++;
                return s;
            }

            return Path(optional: false);
        }

        private object? Path(bool optional)
        {
            if (!EatWord("self"))
            {
                throw new NotSupportedException();
            }

            JsonNode? node = self;
            while (Eat("."))
            {
                var name = Identifier();
                SkipSpace();
                if (_pos < text.Length && text[_pos] == '(')
                {
                    // A method or macro call (self.items.all(...), .exists_one(...)): outside the subset, so the rule
                    // is skipped, not reported as a missing key.
                    throw new NotSupportedException();
                }

                if (node is not JsonObject o || !o.ContainsKey(name))
                {
                    if (optional || _skip > 0)
                    {
                        return Missing.Value;
                    }

                    throw new NoSuchKeyException(name);
                }

                node = o[name];
            }

            return node switch
            {
                // Arms cast to object: JsonNode's implicit conversions would otherwise turn them all back into JsonNode.
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => (object)JsonNumbers.ToDouble(v),
                JsonValue v when v.GetValueKind() == JsonValueKind.String => (object)v.GetValue<string>(),
                JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => (object)v.GetValue<bool>(),
                _ => (object?)node,
            };
        }

        private bool Compare(object? a, object? b, string op)
        {
            if (a is long or double && b is long or double)
            {
                var x = Convert.ToDouble(a, CultureInfo.InvariantCulture);
                var y = Convert.ToDouble(b, CultureInfo.InvariantCulture);
                return op switch { "==" => x == y, "!=" => x != y, "<" => x < y, "<=" => x <= y, ">" => x > y, _ => x >= y };
            }

            if (a is string s && b is string t)
            {
                var c = string.CompareOrdinal(s, t);
                return op switch { "==" => c == 0, "!=" => c != 0, "<" => c < 0, "<=" => c <= 0, ">" => c > 0, _ => c >= 0 };
            }

            return op switch
            {
                "==" => Equals(a, b),
                "!=" => !Equals(a, b),
                _ when _skip > 0 => false,
                _ => throw new NotSupportedException(),
            };
        }

        private string Identifier()
        {
            SkipSpace();
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_'))
            {
                _pos++;
            }

            return _pos > start ? text[start.._pos] : throw new NotSupportedException();
        }

        private bool EatWord(string word)
        {
            SkipSpace();
            var end = _pos + word.Length;
            if (string.CompareOrdinal(text, _pos, word, 0, word.Length) == 0 && (end >= text.Length || !char.IsLetterOrDigit(text[end])))
            {
                _pos = end;
                return true;
            }

            return false;
        }

        private bool Eat(string token)
        {
            SkipSpace();
            if (string.CompareOrdinal(text, _pos, token, 0, token.Length) == 0)
            {
                _pos += token.Length;
                return true;
            }

            return false;
        }

        private void Expect(string token)
        {
            if (!Eat(token))
            {
                throw new NotSupportedException();
            }
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }
    }

    private sealed class Missing
    {
        public static readonly Missing Value = new();
    }
}
