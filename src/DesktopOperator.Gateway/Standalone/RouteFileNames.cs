using System.Security.Cryptography;
using System.Text;

namespace DesktopOperator.Gateway.Standalone;

/// <summary>
/// Deterministic, readable file names for routes: <c>&lt;namespace&gt;_&lt;pool&gt;_&lt;key&gt;-&lt;hash&gt;.json</c>.
/// The readable part is sanitised and truncated; the hash of the exact (pool, key) keeps distinct keys apart
/// ("Alice" and "alice", or two long keys with one prefix).
/// </summary>
internal static class RouteFileNames
{
    public const string Extension = ".json";
    private const int MaxReadableKeyLength = 40;

    public static string For(string pool, string key)
    {
        var readable = new StringBuilder(pool.Length + MaxReadableKeyLength + 12);
        AppendSanitised(readable, pool.Replace('/', '_'), int.MaxValue);
        readable.Append('_');
        AppendSanitised(readable, key, MaxReadableKeyLength);
        readable.Append('-');
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(pool + "\n" + key), hash);
        readable.Append(Convert.ToHexStringLower(hash[..5]));
        readable.Append(Extension);
        return readable.ToString();
    }

    private static void AppendSanitised(StringBuilder builder, string text, int maxLength)
    {
        var written = 0;
        foreach (var c in text)
        {
            if (written == maxLength)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-');
            written++;
        }
    }
}
