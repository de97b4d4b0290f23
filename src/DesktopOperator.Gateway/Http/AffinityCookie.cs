using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace DesktopOperator.Gateway.Http;

/// <summary>
/// The signed affinity cookie: <c>{id}.{MAC}</c>, or <c>{id}.{host, base64url}.{MAC}</c> when it also names the host
/// the request without a route went to (the MAC is HMAC-SHA256, base64url, over the id and host). The id is random and
/// names an anonymous browser to the routing engine; the signature stops a client from choosing someone else's id
/// (and so their desktop) or a host. Pure functions over <see cref="AffinityCookieKeys"/>; thread-safe.
/// </summary>
internal static class AffinityCookie
{
    /// <summary>Prefix of minted ids: keeps them apart from user names that come from an auth proxy.</summary>
    public const string IdPrefix = "anon-";

    private const string Purpose = "desktop-operator affinity v1:";

    /// <summary>A different purpose for id + host values, so no id-only signature ever verifies as one.</summary>
    private const string HostPurpose = "desktop-operator affinity v2:";

    /// <summary>A new random id (16 bytes from <paramref name="random"/>, hex).</summary>
    public static string NewId(Action<Span<byte>> random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<byte> bytes = stackalloc byte[16];
        random(bytes);
        return IdPrefix + Convert.ToHexStringLower(bytes);
    }

    public static string Sign(string id, AffinityCookieKeys keys) => Sign(id, host: null, keys);

    /// <summary>A cookie value for <paramref name="id"/> that also names <paramref name="host"/> (none when null).</summary>
    public static string Sign(string id, string? host, AffinityCookieKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var payload = host is null ? id : $"{id}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(host))}";
        return $"{payload}.{Base64Url.EncodeToString(Mac(keys.Signing, payload, host is not null))}";
    }

    /// <summary>The id of a cookie value that any of <paramref name="keys"/> signed, or null (tampered, foreign, malformed).</summary>
    public static string? Verify(string? value, AffinityCookieKeys keys) => Verify(value, keys, out _);

    /// <summary>
    /// As <see cref="Verify(string?, AffinityCookieKeys)"/>; <paramref name="signedByNewest"/> tells whether the
    /// signing (last) key signed it, so a cookie signed by an older key can be re-signed on the next response.
    /// </summary>
    public static string? Verify(string? value, AffinityCookieKeys keys, out bool signedByNewest) => Read(value, keys, out signedByNewest)?.Id;

    /// <summary>
    /// The id and host (null in an id-only cookie) of a cookie value that any of <paramref name="keys"/> signed, or
    /// null; <paramref name="signedByNewest"/> as in <see cref="Verify(string?, AffinityCookieKeys, out bool)"/>.
    /// </summary>
    public static (string Id, string? Host)? Read(string? value, AffinityCookieKeys keys, out bool signedByNewest)
    {
        ArgumentNullException.ThrowIfNull(keys);
        signedByNewest = false;
        var dot = value?.LastIndexOf('.') ?? -1;
        if (value is null || dot <= IdPrefix.Length || !value.StartsWith(IdPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var payload = value[..dot];
        var hostDot = payload.IndexOf('.', StringComparison.Ordinal);
        var id = hostDot < 0 ? payload : payload[..hostDot];
        string? host = null;
        if (hostDot >= 0)
        {
            var encoded = payload.AsSpan(hostDot + 1);
            if (encoded.IsEmpty || !Base64Url.IsValid(encoded))
            {
                return null;
            }

            host = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded));
        }

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
            if (CryptographicOperations.FixedTimeEquals(Mac(all[i], payload, host is not null), given))
            {
                signedByNewest = i == all.Count - 1;
                return (id, host);
            }
        }

        return null;
    }

    private static byte[] Mac(ReadOnlySpan<byte> key, string payload, bool withHost) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes((withHost ? HostPurpose : Purpose) + payload));
}
