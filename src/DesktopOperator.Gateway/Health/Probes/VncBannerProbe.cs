using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>
/// Passes when the server opens with an RFB 3.x ProtocolVersion message (RFC 6143 section 7.1.1: exactly
/// 12 bytes, <c>RFB 003.008\n</c>) and goes on to offer its security types; fails when the server refuses the
/// connection (see <see cref="RefusedAsync"/>).
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
    private const int MaxReasonBytes = 256;

    public override string Name => HealthProbeNames.Vnc;

    public static bool IsRfb3Banner(ReadOnlySpan<byte> banner) =>
        banner.Length == BannerLength
        && banner.StartsWith("RFB 003."u8)
        && char.IsAsciiDigit((char)banner[8]) && char.IsAsciiDigit((char)banner[9]) && char.IsAsciiDigit((char)banner[10])
        && banner[11] == (byte)'\n';

    /// <summary>
    /// The minor version to answer a 3.x server with, or 0 when there is none (RFC 6143 section 7.1.1: only 3.3,
    /// 3.7 and 3.8 exist; others are treated as 3.3, and a client never asks for more than the server offers, so
    /// 3.0-3.2 cannot be answered). Above 3.8 (Apple's 3.889) the answer is 3.8, as TigerVNC's viewer does.
    /// </summary>
    public static int ChooseMinor(int serverMinor) => serverMinor switch
    {
        < 3 => 0,
        < 7 => 3,
        7 => 7,
        _ => 8,
    };

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

        var minor = ChooseMinor(((buffer[8] - '0') * 100) + ((buffer[9] - '0') * 10) + (buffer[10] - '0'));
        if (minor == 0)
        {
            return ProbeResult.Invalid("unsupported RFB version: " + Printable(buffer));
        }

        await socket.SendAsync(Encoding.ASCII.GetBytes($"RFB 003.00{minor}\n"), SocketFlags.None, cancellationToken);
        return minor == 3
            ? await ReadServerChosenSecurityAsync(socket, cancellationToken)
            : await NegotiateSecurityAsync(socket, minor, cancellationToken);
    }

    /// <summary>
    /// RFB 3.7/3.8 (section 7.1.2): the server lists its types; the probe picks None when offered. Only 3.8 answers
    /// None with a SecurityResult (section 7.2.1); 3.7 goes straight on to ClientInit, which the probe never sends.
    /// </summary>
    private static async Task<ProbeResult> NegotiateSecurityAsync(Socket socket, int minor, CancellationToken cancellationToken)
    {
        var count = new byte[1];
        if (await ReceiveUntilAsync(socket, count, static _ => false, cancellationToken) < 1)
        {
            return ProbeResult.Closed(BannerLength);
        }

        if (count[0] == 0)
        {
            return await RefusedAsync(socket, cancellationToken);
        }

        var types = new byte[count[0]];
        var received = await ReceiveUntilAsync(socket, types, static _ => false, cancellationToken);
        if (received < types.Length)
        {
            return ProbeResult.Closed(BannerLength + 1 + received);
        }

        if (Array.IndexOf(types, SecurityNone) < 0)
        {
            // Password only: choosing nothing and closing is the least the probe can do (see the class comment).
            return ProbeResult.Success;
        }

        await socket.SendAsync(new[] { SecurityNone }, SocketFlags.None, cancellationToken);
        if (minor < 8)
        {
            return ProbeResult.Success;
        }

        // Read the whole result, so the server has finished security before the probe closes.
        var result = new byte[4];
        received = await ReceiveUntilAsync(socket, result, static _ => false, cancellationToken);
        if (received < result.Length)
        {
            return ProbeResult.Closed(BannerLength + 1 + types.Length + received);
        }

        return result.AsSpan().IndexOfAnyExcept((byte)0) < 0 ? ProbeResult.Success : await RefusedAsync(socket, cancellationToken);
    }

    /// <summary>RFB 3.3 (RFC 6143 appendix A.1): the server chooses the type and sends it as a 32-bit number.</summary>
    private static async Task<ProbeResult> ReadServerChosenSecurityAsync(Socket socket, CancellationToken cancellationToken)
    {
        var type = new byte[4];
        var received = await ReceiveUntilAsync(socket, type, static _ => false, cancellationToken);
        if (received < type.Length)
        {
            return ProbeResult.Closed(BannerLength + received);
        }

        return type.AsSpan().IndexOfAnyExcept((byte)0) < 0 ? await RefusedAsync(socket, cancellationToken) : ProbeResult.Success;
    }

    /// <summary>
    /// The server refuses this connection and says why (a 32-bit length, then text). A refusing host is unusable from
    /// the gateway even though it is up: TigerVNC answers every client this way once it has blacklisted the
    /// gateway's address ("Too many security failures"), and new users must go elsewhere until that passes.
    /// </summary>
    private static async Task<ProbeResult> RefusedAsync(Socket socket, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (await ReceiveUntilAsync(socket, header, static _ => false, cancellationToken) < header.Length)
        {
            return ProbeResult.Invalid("the server refuses the connection (no reason given)");
        }

        var reason = new byte[Math.Clamp(BinaryPrimitives.ReadInt32BigEndian(header), 0, MaxReasonBytes)];
        var received = await ReceiveUntilAsync(socket, reason, static _ => false, cancellationToken);
        return ProbeResult.Invalid("the server refuses the connection: " + Printable(reason.AsSpan(0, received)));
    }
}
