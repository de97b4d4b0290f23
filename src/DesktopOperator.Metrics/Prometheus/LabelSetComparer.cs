namespace DesktopOperator.Metrics.Prometheus;

/// <summary>
/// Lets a series map be searched with the measurement's tag span directly, so recording into an existing series
/// allocates nothing. Only used for spans that <see cref="CanLookUp"/> accepts (string or null values, no
/// repeated names); anything else goes through <see cref="LabelSet.Create"/>.
/// </summary>
internal sealed class LabelSetComparer : IEqualityComparer<LabelSet>, IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, LabelSet>
{
    public static readonly LabelSetComparer Instance = new();

    public static bool CanLookUp(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        for (var i = 0; i < tags.Length; i++)
        {
            if (tags[i].Value is not (null or string))
            {
                return false;
            }

            for (var j = 0; j < i; j++)
            {
                if (string.Equals(tags[i].Key, tags[j].Key, StringComparison.Ordinal))
                {
                    return false;
                }
            }
        }

        return true;
    }

    public bool Equals(LabelSet? x, LabelSet? y) => x is null ? y is null : x.Equals(y);

    public int GetHashCode(LabelSet obj) => obj.GetHashCode();

    public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, LabelSet other) => other.Matches(alternate);

    public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => LabelSet.HashOf(alternate);

    public LabelSet Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => LabelSet.Create(alternate);
}
