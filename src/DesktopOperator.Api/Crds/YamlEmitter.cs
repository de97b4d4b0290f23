using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DesktopOperator.Api.Crds;

/// <summary>
/// Writes a tree of maps, lists and scalars as block YAML. Output depends only on the tree: maps are written in
/// their enumeration order (the generator uses ordinal-sorted maps), strings are plain when that is unambiguous,
/// else single-quoted (double-quoted only with control characters). Lists are written at their key's indentation,
/// as kubectl and controller-gen do.
/// </summary>
internal static partial class YamlEmitter
{
    public static string Write(IDictionary<string, object?> root)
    {
        var text = new StringBuilder();
        WriteMap(text, root, 0);
        return text.ToString();
    }

    private static void WriteMap(StringBuilder text, IDictionary<string, object?> map, int indent)
    {
        foreach (var (key, value) in map)
        {
            text.Append(' ', indent).Append(Key(key)).Append(':');
            WriteValue(text, value, indent, indent + 2);
        }
    }

    private static void WriteValue(StringBuilder text, object? value, int listIndent, int mapIndent)
    {
        switch (value)
        {
            case IDictionary<string, object?> { Count: 0 }:
                text.Append(" {}\n");
                break;
            case IDictionary<string, object?> child:
                text.Append('\n');
                WriteMap(text, child, mapIndent);
                break;
            case IList { Count: 0 }:
                text.Append(" []\n");
                break;
            case IList list:
                text.Append('\n');
                WriteList(text, list, listIndent);
                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static void WriteList(StringBuilder text, IList list, int indent)
    {
        foreach (var item in list)
        {
            if (item is IDictionary<string, object?> { Count: > 0 } map)
            {
                // The first entry shares the "- " line; the rest line up under it.
                var itemText = new StringBuilder();
                WriteMap(itemText, map, indent + 2);
                text.Append(' ', indent).Append("- ").Append(itemText, indent + 2, itemText.Length - indent - 2);
            }
            else if (item is IList)
            {
                throw new NotSupportedException("Lists of lists are not used in CRDs.");
            }
            else
            {
                text.Append(' ', indent).Append('-');
                WriteValue(text, item, indent + 2, indent + 2);
            }
        }
    }

    private static string Key(string key) =>
        PlainKey().IsMatch(key) ? key : throw new NotSupportedException($"Map key '{key}' would need quoting.");

    internal static string Scalar(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string s => String(s),
        _ => throw new NotSupportedException($"No YAML form for {value.GetType().Name}."),
    };

    private static string String(string s)
    {
        if (s.Any(char.IsControl))
        {
            return JsonSerializer.Serialize(s);
        }

        return IsPlainSafe(s) ? s : "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static bool IsPlainSafe(string s) =>
        PlainString().IsMatch(s) && !s.EndsWith(' ') && !s.Contains(" #", StringComparison.Ordinal) &&
        !ReservedWord().IsMatch(s);

    [GeneratedRegex("^[A-Za-z0-9_.$/-]+$")]
    private static partial Regex PlainKey();

    // Starts with a letter or '/' (so never a number, indicator or "-"), then characters YAML gives no meaning.
    [GeneratedRegex("^[A-Za-z/][A-Za-z0-9 _./(),;+=-]*$")]
    private static partial Regex PlainString();

    [GeneratedRegex("^(true|false|yes|no|on|off|y|n|null)$", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedWord();
}
