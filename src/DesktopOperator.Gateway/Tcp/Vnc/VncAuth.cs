using System.Security.Cryptography;

namespace DesktopOperator.Gateway.Tcp.Vnc;

/// <summary>
/// RFB's VNC Authentication (RFC 6143 section 7.2.2): the response is the 16-byte challenge encrypted with DES (ECB)
/// under the password's first 8 bytes, zero-padded. The VNC reference code feeds each key byte to DES with its bits
/// in reverse order, so a standard DES needs every password byte bit-reversed first (.NET has no helper for it).
/// <para>DES is broken as a cipher; here it is only the protocol's fixed challenge-response, not a choice of ours.</para>
/// </summary>
internal static class VncAuth
{
    public const int ChallengeLength = 16;

    /// <summary>The length of a <c>vncpasswd -f</c> file: the password's 8 bytes, DES-encrypted under a fixed key.</summary>
    public const int PasswordFileLength = 8;

    /// <summary>
    /// TigerVNC's and RealVNC's fixed obfuscation key for password files ({23, 82, 107, 6, 35, 78, 88, 7} in the
    /// reference code's bit order), already bit-reversed for a standard DES.
    /// </summary>
    private static ReadOnlySpan<byte> PasswordFileKey => [0xE8, 0x4A, 0xD6, 0x60, 0xC4, 0x72, 0x1A, 0xE0];

    /// <summary>The 16-byte answer to <paramref name="challenge"/>; only the first 8 bytes of the password count.</summary>
    /// <exception cref="ArgumentException">The password gives a DES weak key (such as an empty password).</exception>
    public static byte[] Respond(ReadOnlySpan<byte> challenge, ReadOnlySpan<byte> password)
    {
        if (challenge.Length != ChallengeLength)
        {
            throw new ArgumentException($"a VNC challenge is {ChallengeLength} bytes, got {challenge.Length}", nameof(challenge));
        }

        Span<byte> key = stackalloc byte[8];
        key.Clear();
        password[..Math.Min(password.Length, 8)].CopyTo(key);
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = ReverseBits(key[i]);
        }

        using var des = CreateDes(key);
        return des.EncryptEcb(challenge, PaddingMode.None);
    }

    /// <summary>The password in a <c>vncpasswd -f</c> file (what Xvnc's <c>-rfbauth</c> and vncviewer's <c>-passwd</c> read).</summary>
    /// <exception cref="InvalidDataException">The file is not 8 bytes long, or holds an empty password.</exception>
    public static byte[] DecodePasswordFile(ReadOnlySpan<byte> file)
    {
        if (file.Length != PasswordFileLength)
        {
            throw new InvalidDataException($"a VNC password file (vncpasswd -f) holds {PasswordFileLength} bytes, this one {file.Length}");
        }

        using var des = CreateDes(PasswordFileKey);
        var password = des.DecryptEcb(file, PaddingMode.None);
        var end = Array.IndexOf(password, (byte)0);
        if (end == 0)
        {
            throw new InvalidDataException("the file holds an empty password");
        }

        return end < 0 ? password : password[..end];
    }

    /// <summary>Reads and decodes a password file; errors name the file.</summary>
    /// <exception cref="InvalidDataException">The file cannot be read or is not a password file.</exception>
    public static async Task<byte[]> ReadPasswordFileAsync(string path, CancellationToken cancellationToken)
    {
        byte[] file;
        try
        {
            file = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"VNC password file '{path}': {ex.Message}", ex);
        }

        try
        {
            return DecodePasswordFile(file);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"VNC password file '{path}': {ex.Message}", ex);
        }
    }

    internal static byte ReverseBits(byte value)
    {
        var reversed = 0;
        for (var bit = 0; bit < 8; bit++)
        {
            reversed = (reversed << 1) | ((value >> bit) & 1);
        }

        return (byte)reversed;
    }

#pragma warning disable CA5351 // DES is what RFB's VNC Authentication is made of; see the class comment.
    private static DES CreateDes(ReadOnlySpan<byte> key)
    {
        var des = DES.Create();
        try
        {
            des.Key = key.ToArray();
            return des;
        }
        catch (CryptographicException ex)
        {
            des.Dispose();
            throw new ArgumentException("the VNC password gives a DES weak key (an empty password does); choose another password", nameof(key), ex);
        }
    }
#pragma warning restore CA5351
}
