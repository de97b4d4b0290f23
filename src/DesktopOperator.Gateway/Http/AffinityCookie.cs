using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace DesktopOperator.Gateway.Http;

/// <summary>
/// The signed affinity cookie: <c>{id}.{HMAC-SHA256 of the id, base64url}</c>. The id is random and names an
/// anonymous browser to the routing engine; the signature stops a client from choosing someone else's id (and so
/// their desktop). Pure functions over <see cref="AffinityCookieKeys"/>; thread-safe.
/// </summary>
internal static class AffinityCookie
{
    /// <summary>Prefix of minted ids: keeps them apart from user names that come from an auth proxy.</summary>
    public const string IdPrefix = "anon-";

    private const string Purpose = "desktop-operator affinity v1:";

    /// <summary>A new random id (16 bytes from <paramref name="random"/>, hex).</summary>
    public static string NewId(Action<Span<byte>> random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[16];
        random(bytes);
        return IdPrefix + Convert.ToHexStringLower(bytes);
    }

    public static string Sign(string id, AffinityCookieKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return $"{id}.{Base64Url.EncodeToString(Mac(keys.Signing, id))}";
    }

    /// <summary>The id of a cookie value that any of <paramref name="keys"/> signed, or null (tampered, foreign, malformed).</summary>
    public static string? Verify(string? value, AffinityCookieKeys keys) => Verify(value, keys, out _);

    /// <summary>
    /// As <see cref="Verify(string?, AffinityCookieKeys)"/>; <paramref name="signedByNewest"/> tells whether the
    /// signing (last) key signed it, so a cookie signed by an older key can be re-signed on the next response.
    /// </summary>
    public static string? Verify(string? value, AffinityCookieKeys keys, out bool signedByNewest)
    {
        ArgumentNullException.ThrowIfNull(keys);
        signedByNewest = false;
        var dot = value?.LastIndexOf('.') ?? -1;
        if (value is null || dot <= IdPrefix.Length || !value.StartsWith(IdPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var id = value[..dot];
        var signature = value.AsSpan(dot + 1);
        Span<byte> given = stackalloc byte[32];
        // TryDecodeFromChars throws (not returns false) on a character outside the alphabet: check first.
        if (!Base64Url.IsValid(signature, out var length) || length != given.Length
            || !Base64Url.TryDecodeFromChars(signature, given, out var written) || written != given.Length)
        {
            return null;
        }

        var all = keys.All;
        for (var i = all.Count - 1; i >= 0; i--)
        {
            if (CryptographicOperations.FixedTimeEquals(Mac(all[i], id), given))
            {
                signedByNewest = i == all.Count - 1;
                return id;
            }
        }

        return null;
    }

    private static byte[] Mac(ReadOnlySpan<byte> key, string id) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Purpose + id));
}
