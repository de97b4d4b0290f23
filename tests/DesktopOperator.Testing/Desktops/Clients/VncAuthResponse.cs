using System.Security.Cryptography;
using System.Text;

namespace DesktopOperator.Testing.Desktops.Clients;

/// <summary>
/// The test client's own VNC Authentication answer (RFC 6143 section 7.2.2), kept apart from the gateway's code so the
/// tests check it against an independent implementation: DES-ECB of the challenge under the password's first 8
/// bytes, each with its bit order reversed (the RFB reference code's DES takes key bits lowest first).
/// </summary>
public static class VncAuthResponse
{
#pragma warning disable CA5351 // DES is fixed by the protocol.
    public static byte[] For(byte[] challenge, string password)
    {
        var key = new byte[8];
        var bytes = Encoding.Latin1.GetBytes(password);
        for (var i = 0; i < Math.Min(bytes.Length, key.Length); i++)
        {
            var b = bytes[i];
            byte mirrored = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                if ((b & (1 << bit)) != 0)
                {
                    mirrored |= (byte)(0x80 >> bit);
                }
            }

            key[i] = mirrored;
        }

        using var des = DES.Create();
        des.Key = key;
        return des.EncryptEcb(challenge, PaddingMode.None);
    }
#pragma warning restore CA5351
}
