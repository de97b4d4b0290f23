using System.Net.Sockets;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>
/// Passes when the server opens with an RFB 3.x ProtocolVersion message (RFC 6143 section 7.1.1: exactly
/// 12 bytes, <c>RFB 003.008\n</c>) and goes on to offer its security types.
/// <para>
/// Why the probe does not hang up after the banner: TigerVNC blacklists an address after five connections that end
/// before security completes (even a bare TCP connect), and every connection through the gateway comes from the
/// gateway's address, so a banner-only check would lock all users out of the host ("Too many security failures").
/// When the server offers security type None, the probe completes it and ends before ClientInit (so it never
/// asks for exclusive access). With password-only servers that cannot be avoided: raise the server's
/// BlacklistThreshold, or check with a kind that does not connect to the VNC port.
/// </para>
/// </summary>
internal sealed class VncBannerProbe : ConnectingProbe
{
    private const int BannerLength = 12;
    private const byte SecurityNone = 1;

    public override string Name => HealthProbeNames.Vnc;

    public static bool IsRfb3Banner(ReadOnlySpan<byte> banner) =>
        banner.Length == BannerLength
        && banner.StartsWith("RFB 003."u8)
        && char.IsAsciiDigit((char)banner[8]) && char.IsAsciiDigit((char)banner[9]) && char.IsAsciiDigit((char)banner[10])
        && banner[11] == (byte)'\n';

    protected override async Task<ProbeResult> ExchangeAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[BannerLength];
        var received = await ReceiveUntilAsync(socket, buffer, static _ => false, cancellationToken);
        if (received < BannerLength)
        {
            return ProbeResult.Closed(received);
        }

        if (!IsRfb3Banner(buffer))
        {
            return ProbeResult.Invalid("not an RFB 3.x banner: " + Printable(buffer));
        }

        var minor = ((buffer[8] - '0') * 100) + ((buffer[9] - '0') * 10) + (buffer[10] - '0');
        return minor >= 7
            ? await NegotiateSecurityAsync(socket, minor >= 8 ? "RFB 003.008\n"u8.ToArray() : "RFB 003.007\n"u8.ToArray(), minor >= 8, cancellationToken)
            : await ReadServerChosenSecurityAsync(socket, cancellationToken);
    }

    /// <summary>RFB 3.7/3.8: the server lists its types; pick None when offered.</summary>
    private static async Task<ProbeResult> NegotiateSecurityAsync(Socket socket, byte[] version, bool hasNoneResult, CancellationToken cancellationToken)
    {
        await socket.SendAsync(version, SocketFlags.None, cancellationToken);
        var count = new byte[1];
        if (await ReceiveUntilAsync(socket, count, static _ => false, cancellationToken) < 1)
        {
            return ProbeResult.Closed(0);
        }

        if (count[0] == 0)
        {
            // The server answers but refuses this connection (it says why next): up, and not ours to judge.
            return ProbeResult.Success;
        }

        var types = new byte[count[0]];
        if (await ReceiveUntilAsync(socket, types, static _ => false, cancellationToken) < types.Length)
        {
            return ProbeResult.Closed(types.Length);
        }

        if (Array.IndexOf(types, SecurityNone) < 0)
        {
            return ProbeResult.Success;
        }

        await socket.SendAsync(new[] { SecurityNone }, SocketFlags.None, cancellationToken);
        if (hasNoneResult)
        {
            var result = new byte[4];
            await ReceiveUntilAsync(socket, result, static _ => false, cancellationToken);
        }

        return ProbeResult.Success;
    }

    /// <summary>RFB 3.3: the server chooses the type and sends it as a 32-bit number.</summary>
    private static async Task<ProbeResult> ReadServerChosenSecurityAsync(Socket socket, CancellationToken cancellationToken)
    {
        await socket.SendAsync("RFB 003.003\n"u8.ToArray(), SocketFlags.None, cancellationToken);
        var type = new byte[4];
        return await ReceiveUntilAsync(socket, type, static _ => false, cancellationToken) < type.Length
            ? ProbeResult.Closed(0)
            : ProbeResult.Success;
    }
}
