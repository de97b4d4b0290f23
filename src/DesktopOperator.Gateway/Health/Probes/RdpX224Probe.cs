using System.Buffers.Binary;
using System.Net.Sockets;

namespace DesktopOperator.Gateway.Health.Probes;

/// <summary>
/// Passes when an X.224 Connection Request (in a TPKT, with an RDP Negotiation Request, MS-RDPBCGR 2.2.1.1) is
/// answered by a TPKT carrying an X.224 Connection Confirm (code 0xD0). A negotiation failure inside the
/// confirm still passes: the server is up and speaking RDP. Reads one TPKT of at most <see cref="MaxResponse"/>.
/// </summary>
internal sealed class RdpX224Probe : ConnectingProbe
{
    public const int MaxResponse = 1024;

    private const byte TpktVersion = 3;
    private const byte ConnectionConfirm = 0xD0;

    /// <summary>
    /// TPKT (version 3, length 19), X.224 CR (length indicator 14, code 0xE0, dst-ref 0, src-ref 0, class 0) and
    /// RDP_NEG_REQ (type 1, flags 0, length 8, requestedProtocols TLS | CredSSP).
    /// </summary>
    internal static ReadOnlySpan<byte> ConnectionRequest =>
    [
        0x03, 0x00, 0x00, 0x13,
        0x0E, 0xE0, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00,
    ];

    public override string Name => HealthProbeNames.Rdp;

    protected override async Task<ProbeResult> ExchangeAsync(Socket socket, CancellationToken cancellationToken)
    {
        await socket.SendAsync(ConnectionRequest.ToArray(), SocketFlags.None, cancellationToken);

        var buffer = new byte[MaxResponse];
        var received = await ReceiveUntilAsync(socket, buffer, static data => IsCompleteTpkt(data.Span) || IsMalformed(data.Span), cancellationToken);
        var response = buffer.AsSpan(0, received);
        if (IsMalformed(response))
        {
            return ProbeResult.Invalid($"not a TPKT carrying X.224: {Printable(response[..Math.Min(response.Length, 8)])}");
        }

        if (!IsCompleteTpkt(response))
        {
            return ProbeResult.Closed(received);
        }

        // After the 4-byte TPKT header: X.224 length indicator, then the TPDU code in the high nibble.
        // A complete, well-formed TPKT holds at least 7 bytes.
        return (response[5] & 0xF0) == ConnectionConfirm
            ? ProbeResult.Success
            : ProbeResult.Invalid($"not an X.224 Connection Confirm: code 0x{response[5]:X2}");
    }

    // Stops reading as soon as the header shows this cannot be an answer: wrong version or an impossible length.
    private static bool IsMalformed(ReadOnlySpan<byte> data) =>
        (data.Length >= 1 && data[0] != TpktVersion)
        || (data.Length >= 4 && BinaryPrimitives.ReadUInt16BigEndian(data[2..4]) is < 7 or > MaxResponse);

    private static bool IsCompleteTpkt(ReadOnlySpan<byte> data) =>
        data.Length >= 4 && data.Length >= BinaryPrimitives.ReadUInt16BigEndian(data[2..4]);
}
