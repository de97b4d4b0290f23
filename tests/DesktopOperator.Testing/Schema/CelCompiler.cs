using System.Text.Json.Nodes;

namespace DesktopOperator.Testing.Schema;

/// <summary>
/// Compiles a rule against the schema node it sits on, as apiextensions-apiserver 1.24 does before it stores a CRD:
/// parse (<see cref="CelParser"/>), type-check field selections and function names against the schema, require a
/// bool result, and estimate the cost of one evaluation with cel-go's static estimator (<see cref="CelCostModel"/>).
/// </summary>
internal sealed class CelCompiler
{
    private static readonly HashSet<string> Functions =
    [
        "size", "duration", "timestamp", "int", "uint", "double", "string", "bool", "dyn", "type", "matches", "startsWith",
        "endsWith", "contains", "lowerAscii", "upperAscii", "trim", "replace", "split", "join", "indexOf", "lastIndexOf",
        "substring", "charAt", "isSorted", "sum", "min", "max", "url", "isURL", "getScheme", "getHost", "getPort",
        "getEscapedPath", "getQuery", "getSeconds", "getMinutes", "getHours", "getMilliseconds", "getFullYear",
        "getMonth", "getDayOfMonth", "getDayOfYear", "getDayOfWeek", "getDate", "all", "exists", "exists_one", "map", "filter",
    ];

    private readonly Dictionary<string, CelValue> _scope = new(StringComparer.Ordinal);
    private bool _transition;

    private CelCompiler(JsonObject schema)
    {
        var self = CelValue.Of(schema);
        _scope["self"] = self;
        _scope["oldSelf"] = self;
    }

    public static CelCompilation Compile(string rule, JsonObject schema)
    {
        var compiler = new CelCompiler(schema);
        try
        {
            var expr = CelParser.Parse(rule);
            var result = compiler.Check(expr);
            if (result.Kind is not ("bool" or "dyn"))
            {
                return new CelCompilation("cel expression must evaluate to a bool", 0, compiler._transition);
            }

            return new CelCompilation(null, result.Cost, compiler._transition);
        }
        catch (CelSyntaxException e)
        {
            var marker = new string('.', Math.Min(e.Position, rule.Length)) + "^";
            return new CelCompilation($"compilation failed: ERROR: <input>:1:{e.Position + 1}: {e.Message}\n | {rule}\n | {marker}", 0, compiler._transition);
        }
    }

    private CelValue Check(CelExpr expr) => expr switch
    {
        CelLiteral l => CelValue.Literal(l.Value),
        CelIdent i => Ident(i),
        CelSelect s => Select(s),
        CelList list => Literal(list),
        CelComprehension c => Comprehension(c),
        CelCall call => Call(call),
        _ => throw new CelSyntaxException(expr.Position, "unsupported expression"),
    };

    private CelValue Ident(CelIdent ident)
    {
        if (!_scope.TryGetValue(ident.Name, out var value))
        {
            throw new CelSyntaxException(ident.Position, $"undeclared reference to '{ident.Name}' (in container '')");
        }

        _transition |= ident.Name == "oldSelf";
        return value with { Cost = CelCostModel.SelectAndIdent };
    }

    private CelValue Select(CelSelect select)
    {
        var operand = Check(select.Operand);
        var field = operand.Field(select.Field)
            ?? throw new CelSyntaxException(select.Position, operand.Kind is "object"
                ? $"undefined field '{select.Field}'"
                : $"type '{operand.Kind}' does not support field selection");
        var cost = CelCostModel.Add(operand.Cost, CelCostModel.SelectAndIdent);
        return select.TestOnly ? CelValue.Bool(cost) : field with { Cost = cost };
    }

    private CelValue Literal(CelList list)
    {
        var elements = list.Elements.Select(Check).ToList();
        var cost = elements.Aggregate(CelCostModel.ListCreate, (sum, e) => CelCostModel.Add(sum, e.Cost));
        return new CelValue("list", elements.FirstOrDefault()?.Schema, (ulong)elements.Count, cost);
    }

    private CelValue Comprehension(CelComprehension c)
    {
        var range = Check(c.Range);
        var element = range.Element() ?? throw new CelSyntaxException(c.Range.Position, $"expression of type '{range.Kind}' cannot be range of a comprehension (must be list, map, or dynamic)");
        var shadowed = _scope.TryGetValue(c.Variable, out var previous);
        _scope[c.Variable] = element;
        var body = Check(c.Body);
        if (shadowed)
        {
            _scope[c.Variable] = previous!;
        }
        else
        {
            _scope.Remove(c.Variable);
        }

        var cost = CelCostModel.Comprehension(c.Macro, range.Cost, range.Size, body.Cost);
        return c.Macro is "map" or "filter" ? new CelValue("list", null, range.Size, cost) : CelValue.Bool(cost);
    }

    private CelValue Call(CelCall call)
    {
        if (call.Function.Length > 0 && call.Function[0] is not ('_' or '!' or '-' or '@') && !Functions.Contains(call.Function))
        {
            throw new CelSyntaxException(call.Position, $"undeclared reference to '{call.Function}' (in container '')");
        }

        var target = call.Target is null ? null : Check(call.Target);
        var args = call.Args.Select(Check).ToList();
        var all = target is null ? args : args.Prepend(target).ToList();
        var argCost = all.Aggregate(0UL, (sum, a) => CelCostModel.Add(sum, a.Cost));
        return call.Function switch
        {
            "_&&_" or "_||_" => CelValue.Bool(argCost),
            "_?_:_" => args[1] with { Cost = CelCostModel.Add(args[0].Cost, Math.Max(args[1].Cost, args[2].Cost)) },
            "_==_" or "_!=_" => CelValue.Bool(CelCostModel.Add(argCost, CelCostModel.Traverse(Math.Min(args[0].Size, args[1].Size)))),
            "_<_" or "_<=_" or "_>_" or "_>=_" when args[0].Kind == "string" =>
                CelValue.Bool(CelCostModel.Add(argCost, CelCostModel.Traverse(Math.Min(args[0].Size, args[1].Size)))),
            "_<_" or "_<=_" or "_>_" or "_>=_" or "!_" => CelValue.Bool(CelCostModel.Add(argCost, 1)),
            "@in" => CelValue.Bool(CelCostModel.Add(argCost, args[1].Size)),
            "_+_" when args[0].Kind is "string" or "list" => Concat(args[0], args[1], argCost),
            "_[_]" => (args[0].Element() ?? CelValue.Dyn(0)) with { Cost = CelCostModel.Add(argCost, 1) },
            "size" => new CelValue("int", null, 1, CelCostModel.Add(argCost, 1)),
            "duration" or "timestamp" => new CelValue(call.Function, null, 1, CelCostModel.Add(argCost, 1)),
            "matches" or "startsWith" or "endsWith" or "contains" =>
                CelValue.Bool(CelCostModel.Add(argCost, CelCostModel.Add(1, CelCostModel.Traverse(all[0].Size)))),
            _ => all.FirstOrDefault(a => a.Kind != "dyn") is { } first && call.Function[0] is '_' or '-'
                ? first with { Cost = CelCostModel.Add(argCost, 1), Size = 1 }
                : CelValue.Dyn(CelCostModel.Add(argCost, 1)),
        };
    }

    private static CelValue Concat(CelValue a, CelValue b, ulong argCost) => a.Kind == "list"
        ? a with { Cost = CelCostModel.Add(argCost, 1), Size = CelCostModel.Add(a.Size, b.Size) }
        : a with { Cost = CelCostModel.Add(argCost, CelCostModel.Traverse(CelCostModel.Add(a.Size, b.Size))), Size = CelCostModel.Add(a.Size, b.Size) };
}
