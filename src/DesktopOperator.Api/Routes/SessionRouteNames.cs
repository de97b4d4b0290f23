using System.Security.Cryptography;
using System.Text;

namespace DesktopOperator.Api.Routes;

/// <summary>
/// The one naming rule for SessionRoute objects: a deterministic name from (pool, affinity key), so every gateway
/// replica (and the controller) computes the same name for one user, and two replicas racing to create it meet in an
/// AlreadyExists instead of making two routes.
/// <para>
/// Shape: <c>&lt;pool&gt;-&lt;key&gt;-&lt;hash&gt;</c>: the readable parts lower-cased, anything outside
/// <c>[a-z0-9]</c> turned into '-', each cut short so the whole fits a DNS-1123 label (63 characters, so the name can
/// also be a label value); the hash is of the exact pool and key. The hash is always there, not only for keys that are
/// too long or not valid names: <c>pool-user</c> alone is ambiguous (pool <c>a-b</c> with user <c>c</c> and pool
/// <c>a</c> with user <c>b-c</c> would share one name, and the second user would be sent to the first one's host),
/// and lower-casing would make <c>Alice</c> and <c>alice</c> one route.
/// </para>
/// </summary>
public static class SessionRouteNames
{
    /// <summary>The longest name this rule makes: a DNS-1123 label.</summary>
    public const int MaxLength = 63;

    private const int HashLength = 10;
    private const int MaxPoolPart = 24;

    /// <summary>The SessionRoute name for <paramref name="key"/> in the pool named <paramref name="poolName"/>.</summary>
    public static string For(string poolName, string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(poolName);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var name = new StringBuilder(MaxLength);
        AppendReadable(name, poolName, MaxPoolPart);
        AppendReadable(name, key, MaxLength - HashLength - 1 - name.Length);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(poolName + "\n" + key), hash);
        name.Append(Convert.ToHexStringLower(hash)[..HashLength]);
        return name.ToString();
    }

    /// <summary>Appends up to <paramref name="room"/> characters of <paramref name="text"/>, sanitised, then '-' (nothing when empty).</summary>
    private static void AppendReadable(StringBuilder name, string text, int room)
    {
        var start = name.Length;
        foreach (var c in text)
        {
            if (name.Length - start >= room - 1)
            {
                break;
            }

            var lower = char.ToLowerInvariant(c);
            var keep = char.IsAsciiLetterLower(lower) || char.IsAsciiDigit(lower);
            if (keep || (name.Length > start && name[^1] != '-'))
            {
                name.Append(keep ? lower : '-');
            }
        }

        while (name.Length > start && name[^1] == '-')
        {
            name.Length--;
        }

        if (name.Length > start)
        {
            name.Append('-');
        }
    }
}
