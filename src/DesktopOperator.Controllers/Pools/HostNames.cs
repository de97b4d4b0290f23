namespace DesktopOperator.Controllers.Pools;

/// <summary>
/// Pod names <c>&lt;pool&gt;-&lt;suffix&gt;</c>: the suffix is derived from the template hash and the lowest ordinal not in
/// use, so a reconcile repeated after a lost answer asks for the same name (a harmless 409) instead of a second pod.
/// </summary>
internal static class HostNames
{
    // As Kubernetes' generateName: no vowels (no words), no 0/1/3 (no look-alikes).
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static IReadOnlyList<string> Next(string pool, string templateHash, IReadOnlySet<string> taken, int count)
    {
        ArgumentNullException.ThrowIfNull(taken);
        var names = new List<string>(count);
        for (var ordinal = 0; names.Count < count; ordinal++)
        {
            var name = $"{Prefix(pool)}-{Suffix(templateHash, ordinal)}";
            if (!taken.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>Pod names are at most 63 characters here (they are also host names); the suffix takes 6.</summary>
    private static string Prefix(string pool) => pool.Length > 57 ? pool[..57].TrimEnd('-', '.') : pool;

    private static string Suffix(string templateHash, int ordinal)
    {
        var value = (ulong)StableHash($"{templateHash}/{ordinal}");
        var chars = new char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[(int)(value % (ulong)Alphabet.Length)];
            value /= (ulong)Alphabet.Length;
        }

        return new string(chars);
    }

    /// <summary>FNV-1a, 64 bit: string.GetHashCode is randomised per process and would not repeat a name.</summary>
    private static long StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (long)hash;
    }
}
