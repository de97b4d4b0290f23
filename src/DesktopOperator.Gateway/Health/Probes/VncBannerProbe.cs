using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using DesktopOperator.Gateway.Tcp.Vnc;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>
/// Passes when the server opens with an RFB 3.x ProtocolVersion message (RFC 6143 section 7.1.1: exactly
/// 12 bytes, <c>RFB 003.008\n</c>) and the check completes the security the pool declares: None, or VNC
/// Authentication with the pool's password file. Fails when the server refuses the connection (see
/// <see cref="RefusedAsync"/>), does not offer the declared security, or rejects the password.
/// <para>
/// Why the check must complete security: TigerVNC counts every connection that ends before authentication succeeds
/// (banner read, version exchange, FIN or RST after reading) as a failed login of its source, and blacklists the
/// source after five; through the gateway that source is the gateway's address, shared by every user. A completed
/// login also clears the server's count for the address. Without a declared security, use the TCP check (connect
/// and reset, which the server does not count). The probe ends before ClientInit, so it never asks for exclusive access.
/// </para>
/// </summary>
internal sealed class VncBannerProbe(VncCheckSecurity security, string? passwordFile = null) : ConnectingProbe
{
    private const int BannerLength = 12;
    private const byte SecurityNone = 1;
    private const byte SecurityVncAuth = 2;
    private const int MaxReasonBytes = 256;

    public override string Name => HealthProbeNames.Vnc;

    private byte Wanted => security == VncCheckSecurity.VncAuth ? SecurityVncAuth : SecurityNone;

    /// <summary>Reads the password before connecting: a check that cannot answer must not open a connection.</summary>
    public override async Task<ProbeResult> ProbeAsync(string address, int port, CancellationToken cancellationToken)
    {
        byte[]? password = null;
        if (security == VncCheckSecurity.VncAuth)
        {
            try
            {
                password = await VncAuth.ReadPasswordFileAsync(passwordFile ?? "", cancellationToken);
            }
            catch (InvalidDataException ex)
            {
                return ProbeResult.Invalid(ex.Message);
            }
        }

        return await ConnectAndExchangeAsync(address, port, (socket, token) => ExchangeAsync(socket, password, token), cancellationToken);
    }

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

    /// <summary>Never used: <see cref="ProbeAsync"/> passes the password to the exchange.</summary>
    protected override Task<ProbeResult> ExchangeAsync(Socket socket, CancellationToken cancellationToken) =>
        ExchangeAsync(socket, null, cancellationToken);

    private async Task<ProbeResult> ExchangeAsync(Socket socket, byte[]? password, CancellationToken cancellationToken)
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
        var type = minor == 3
            ? await ReadServerChosenTypeAsync(socket, cancellationToken)
            : await ChooseTypeAsync(socket, cancellationToken);
        if (type.Result is { } early)
        {
            return early;
        }

        if (type.Chosen == SecurityNone)
        {
            // Only 3.8 answers None with a SecurityResult (section 7.2.1); 3.3 and 3.7 go on to ClientInit.
            return minor == 8 ? await ReadSecurityResultAsync(socket, minor, cancellationToken) : ProbeResult.Success;
        }

        if (password is null)
        {
            return ProbeResult.Invalid("the server asks for VNC Authentication; the check declares security None");
        }

        var challenge = new byte[VncAuth.ChallengeLength];
        received = await ReceiveUntilAsync(socket, challenge, static _ => false, cancellationToken);
        if (received < challenge.Length)
        {
            return new ProbeResult(ProbeOutcome.Closed, $"closed after {received} bytes of the VNC Authentication challenge");
        }

        byte[] response;
        try
        {
            response = VncAuth.Respond(challenge, password);
        }
        catch (ArgumentException ex)
        {
            return ProbeResult.Invalid(ex.Message);
        }

        await socket.SendAsync(response, SocketFlags.None, cancellationToken);
        return await ReadSecurityResultAsync(socket, minor, cancellationToken);
    }

    /// <summary>
    /// RFB 3.7/3.8 (section 7.1.2): the server lists its types and the probe picks the declared one. A server that does
    /// not offer it fails the check (the probe must then hang up, which the server may count against the gateway,
    /// but a host that cannot be logged into the declared way is no good to users either).
    /// </summary>
    private async Task<(byte Chosen, ProbeResult? Result)> ChooseTypeAsync(Socket socket, CancellationToken cancellationToken)
    {
        var count = new byte[1];
        if (await ReceiveUntilAsync(socket, count, static _ => false, cancellationToken) < 1)
        {
            return (0, ProbeResult.Closed(BannerLength));
        }

        if (count[0] == 0)
        {
            return (0, await RefusedAsync(socket, cancellationToken));
        }

        var types = new byte[count[0]];
        var received = await ReceiveUntilAsync(socket, types, static _ => false, cancellationToken);
        if (received < types.Length)
        {
            return (0, ProbeResult.Closed(BannerLength + 1 + received));
        }

        if (Array.IndexOf(types, Wanted) < 0)
        {
            return (0, ProbeResult.Invalid($"the server does not offer security {security} (type {Wanted}); it offers {string.Join(',', types)}"));
        }

        await socket.SendAsync(new[] { Wanted }, SocketFlags.None, cancellationToken);
        return (Wanted, null);
    }

    /// <summary>RFB 3.3 (RFC 6143 appendix A.1): the server chooses the type and sends it as a 32-bit number.</summary>
    private static async Task<(byte Chosen, ProbeResult? Result)> ReadServerChosenTypeAsync(Socket socket, CancellationToken cancellationToken)
    {
        var type = new byte[4];
        var received = await ReceiveUntilAsync(socket, type, static _ => false, cancellationToken);
        if (received < type.Length)
        {
            return (0, ProbeResult.Closed(BannerLength + received));
        }

        return BinaryPrimitives.ReadUInt32BigEndian(type) switch
        {
            0 => (0, await RefusedAsync(socket, cancellationToken)),
            SecurityNone => (SecurityNone, null),
            SecurityVncAuth => (SecurityVncAuth, null),
            var other => (0, ProbeResult.Invalid($"the server chose security type {other}, which the check cannot complete")),
        };
    }

    /// <summary>SecurityResult (section 7.1.3): 0 is OK; otherwise 3.8 says why, older versions just close.</summary>
    private static async Task<ProbeResult> ReadSecurityResultAsync(Socket socket, int minor, CancellationToken cancellationToken)
    {
        var result = new byte[4];
        var received = await ReceiveUntilAsync(socket, result, static _ => false, cancellationToken);
        if (received < result.Length)
        {
            return new ProbeResult(ProbeOutcome.Closed, $"closed after {received} bytes of the SecurityResult");
        }

        if (result.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            return ProbeResult.Success;
        }

        return minor == 8 ? await RefusedAsync(socket, cancellationToken) : ProbeResult.Invalid("the server rejected the login (no reason given)");
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
