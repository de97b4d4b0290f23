using System.Globalization;
using System.Text;

namespace DesktopOperator.Metrics.Prometheus;

/// <summary>
/// An immutable set of tags, sorted by name, with values already turned into strings. Identity is by
/// (name, value) pairs regardless of the order the tags were given in. Thread-safe.
/// </summary>
internal sealed class LabelSet : IEquatable<LabelSet>
{
    public static readonly LabelSet Empty = new([], []);

    public static readonly LabelSet Overflow = new(["otel_metric_overflow"], ["true"]);

    private readonly string[] _names;
    private readonly string[] _values;
    private readonly int _hash;
    private string? _text;

    private LabelSet(string[] names, string[] values)
    {
        _names = names;
        _values = values;
        _hash = ComputeHash(names, values);
    }

    public int Count => _names.Length;

    /// <summary>Builds a set from measurement tags; when a name repeats, the last value wins.</summary>
    public static LabelSet Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return Empty;
        }

        var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            pairs[tag.Key] = FormatValue(tag.Value);
        }

        return new LabelSet([.. pairs.Keys], [.. pairs.Values]);
    }

    public static string FormatValue(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        Enum e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>
    /// The <c>name="value",…</c> text between the braces (names sanitised and sorted, values escaped), formatted once.
    /// </summary>
    public string Text => _text ??= FormatText();

    public bool Equals(LabelSet? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (_hash == other._hash && _names.AsSpan().SequenceEqual(other._names) && _values.AsSpan().SequenceEqual(other._values)));

    public override bool Equals(object? obj) => Equals(obj as LabelSet);

    public override int GetHashCode() => _hash;

    /// <summary>True when tags are this set's pairs (any order, no repeated names, string or null values only).</summary>
    internal bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != _names.Length)
        {
            return false;
        }

        // A linear scan beats a binary search for the handful of labels an instrument carries.
        foreach (var tag in tags)
        {
            var index = Array.IndexOf(_names, tag.Key);
            if (index < 0 || !string.Equals(_values[index], (string?)tag.Value ?? string.Empty, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The hash <see cref="Create"/> would give these tags; valid for string-valued tags without repeats.</summary>
    internal static int HashOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sum = 0;
        foreach (var tag in tags)
        {
            sum = unchecked(sum + PairHash(tag.Key, (string?)tag.Value ?? string.Empty));
        }

        return HashCode.Combine(tags.Length, sum);
    }

    // Order-independent, so tags can be hashed in the order a caller passes them without sorting.
    private static int ComputeHash(string[] names, string[] values)
    {
        var sum = 0;
        for (var i = 0; i < names.Length; i++)
        {
            sum = unchecked(sum + PairHash(names[i], values[i]));
        }

        return HashCode.Combine(names.Length, sum);
    }

    private static int PairHash(string name, string value) => unchecked((StringHash(name) * 31) + StringHash(value));

    // FNV-1a over the UTF-16 units: several times cheaper than the randomized string hash for short strings, and
    // flooding is no concern here (series per instrument are capped).
    private static int StringHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return (int)hash;
    }

    private string FormatText()
    {
        var labels = new (string Name, string Value)[_names.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = (PrometheusNaming.SanitizeLabelName(_names[i]), _values[i]);
        }

        // Stable sort: when two tag names sanitise to one label name ("a.b", "a_b"), the first in ordinal order of
        // the original names is kept, since the text format cannot repeat a label.
        labels = [.. labels.OrderBy(static l => l.Name, StringComparer.Ordinal)];
        var builder = new StringBuilder();
        string? previous = null;
        foreach (var (name, value) in labels)
        {
            if (name == previous)
            {
                continue;
            }

            previous = name;
            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(name).Append("=\"");
            PrometheusText.AppendLabelValue(builder, value);
            builder.Append('"');
        }

        return builder.ToString();
    }
}
