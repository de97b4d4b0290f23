using System.Security.Cryptography;
using System.Text;
using DesktopOperator.Gateway.Tcp.Vnc;
using DesktopOperator.Testing.Desktops.Clients;

namespace DesktopOperator.Gateway.Tests.Tcp.Vnc;

public sealed class VncAuthTests
{
    /// <summary>What TigerVNC 1.12's <c>printf 'secret12\n' | vncpasswd -f</c> writes (captured on this machine).</summary>
    private static readonly byte[] VncpasswdSecret12 = [0x24, 0xB5, 0xAE, 0x4C, 0xE1, 0x55, 0x03, 0xC6];

    /// <summary>A password file in <c>vncpasswd -f</c> format, by the test's own DES (the fixed key, bits already reversed).</summary>
    public static byte[] EncodePasswordFile(string password)
    {
        var plain = new byte[8];
        Encoding.ASCII.GetBytes(password).AsSpan(0, Math.Min(password.Length, 8)).CopyTo(plain);
#pragma warning disable CA5351 // DES is fixed by the format.
        using var des = DES.Create();
        des.Key = [0xE8, 0x4A, 0xD6, 0x60, 0xC4, 0x72, 0x1A, 0xE0];
        return des.EncryptEcb(plain, PaddingMode.None);
#pragma warning restore CA5351
    }

    [Fact]
    public void DecodePasswordFile_WrittenByVncpasswd_GivesThePassword() =>
        Assert.Equal("secret12", Encoding.ASCII.GetString(VncAuth.DecodePasswordFile(VncpasswdSecret12)));

    [Fact]
    public void EncodePasswordFile_TestHelper_MatchesVncpasswd() =>
        Assert.Equal(VncpasswdSecret12, EncodePasswordFile("secret12"));

    [Theory]
    [InlineData("desk-top")]
    [InlineData("abcdef")]
    [InlineData("longer-than-eight")]
    public void DecodePasswordFile_RoundTrip_FirstEightBytes(string password) =>
        Assert.Equal(password[..Math.Min(8, password.Length)], Encoding.ASCII.GetString(VncAuth.DecodePasswordFile(EncodePasswordFile(password))));

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(9)]
    public void DecodePasswordFile_WrongLength_SaysWhatItExpects(int length)
    {
        var ex = Assert.Throws<InvalidDataException>(() => VncAuth.DecodePasswordFile(new byte[length]));
        Assert.Contains("8 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodePasswordFile_EmptyPassword_Rejected() =>
        Assert.Throws<InvalidDataException>(() => VncAuth.DecodePasswordFile(EncodePasswordFile("")));

    [Theory]
    [InlineData("secret-1")]
    [InlineData("desk-top")]
    [InlineData("ab")]
    [InlineData("ninechars")]
    public void Respond_MatchesTheTestClientsIndependentDes(string password)
    {
        var challenge = Enumerable.Range(0, 16).Select(i => (byte)((i * 37) + 11)).ToArray();

        var ours = VncAuth.Respond(challenge, Encoding.ASCII.GetBytes(password));

        Assert.Equal(VncAuthResponse.For(challenge, password), ours);
        Assert.Equal(16, ours.Length);
    }

    [Fact]
    public void Respond_DifferentPasswords_DifferentAnswers()
    {
        var challenge = new byte[16];
        Assert.NotEqual(VncAuth.Respond(challenge, "password"u8), VncAuth.Respond(challenge, "passwore"u8));
    }

    [Fact]
    public void Respond_EmptyPassword_WeakKeyIsAClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => VncAuth.Respond(new byte[16], []));
        Assert.Contains("weak key", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x01, 0x80)]
    [InlineData(0x80, 0x01)]
    [InlineData(0xF0, 0x0F)]
    [InlineData(0x61, 0x86)]
    public void ReverseBits_MirrorsTheByte(byte value, byte expected) => Assert.Equal(expected, VncAuth.ReverseBits(value));
}
