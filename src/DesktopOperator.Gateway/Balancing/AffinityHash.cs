namespace DesktopOperator.Gateway.Balancing;

/// <summary>
/// A fixed, well-distributed 64-bit hash for affinity keys and host names: FNV-1a 64 over the string's UTF-16 code
/// units (low byte first), finished with MurmurHash3's fmix64 so that nearby keys (10.0.0.1, 10.0.0.2) land far
/// apart. Unlike <see cref="string.GetHashCode()"/> it is the same in every process, replica and version: changing
/// it would move every source-hashed client, so tests pin known values.
/// </summary>
internal static class AffinityHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    public static ulong Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var hash = FnvOffset;
        foreach (var c in value)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }

        return Mix(hash);
    }

    /// <summary>The rendezvous score hash of a (key, host) pair.</summary>
    public static ulong Combine(ulong keyHash, ulong hostHash) => Mix(keyHash ^ (hostHash * Golden));

    /// <summary>
    /// Maps a hash to a uniform double strictly inside (0, 1): the top 52 bits, offset by half a step. (53 bits would
    /// round the largest value up to exactly 1.0, whose logarithm is 0.)
    /// </summary>
    public static double ToUnitInterval(ulong hash) => ((hash >> 12) + 0.5) * (1.0 / (1UL << 52));

    // MurmurHash3 fmix64: full avalanche, a bijection on 64-bit values.
    private static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB93FE53F8BCBUL;
        h ^= h >> 33;
        return h;
    }
}
