using System.Security.Cryptography;
using System.Text;

namespace DesktopOperator.Gateway.Http;

/// <summary>
/// The keys that sign affinity cookies, read from a file of one key per line (blank lines and <c># comments</c> are
/// skipped; each key at least <see cref="MinimumKeyLength"/> characters, e.g. <c>openssl rand -base64 32</c>). The
/// LAST key is the newest and signs; every key verifies, so a key is rotated by appending a new line and removing
/// the old one only after the cookies it signed have expired: nobody is logged out by a rotation.
/// </summary>
internal sealed class AffinityCookieKeys
{
    public const int MinimumKeyLength = 32;

    private readonly byte[][] _keys;

    public AffinityCookieKeys(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("there must be at least one key", nameof(keys));
        }

        _keys = [.. keys.Select(k => k.Length >= MinimumKeyLength
            ? Encoding.UTF8.GetBytes(k)
            : throw new ArgumentException($"a key must have at least {MinimumKeyLength} characters", nameof(keys)))];
    }

    /// <summary>The newest key, which signs.</summary>
    public ReadOnlySpan<byte> Signing => _keys[^1];

    public IReadOnlyList<byte[]> All => _keys;

    /// <summary>Reads <paramref name="path"/>; a clear error naming the file and line when it holds no usable key.</summary>
    public static AffinityCookieKeys Load(string path)
    {
        var keys = new List<string>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.Length < MinimumKeyLength)
            {
                throw new InvalidDataException($"{path}:{i + 1}: a cookie key must have at least {MinimumKeyLength} characters (try: openssl rand -base64 32)");
            }

            keys.Add(line);
        }

        return keys.Count > 0 ? new AffinityCookieKeys(keys) : throw new InvalidDataException($"{path}: holds no cookie key (one key per line)");
    }

    /// <summary>
    /// Reads <paramref name="path"/>, or when it does not exist creates it (mode 0600) with one random key, so a
    /// standalone gateway keeps its users' cookies valid across restarts without any setup.
    /// </summary>
    public static AffinityCookieKeys LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var writer = new StreamWriter(path, Encoding.ASCII, options);
                writer.WriteLine("# Keys of the gateway's affinity cookies: the last line signs, every line verifies.");
                writer.WriteLine(key);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: read theirs.
            }
        }

        return Load(path);
    }
}
